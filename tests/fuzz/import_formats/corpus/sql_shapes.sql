/*!40101 SET NAMES utf8mb4 */;
-- comment
# another
CREATE TABLE IF NOT EXISTS `ost_ticket__cdata` (`ticket_id` int, `subject` text, `priority` text, PRIMARY KEY (`ticket_id`)) ENGINE=InnoDB;
INSERT IGNORE INTO `db`.`ost_ticket__cdata` (`subject`,`ticket_id`) VALUES ('a''b\'c\\d\0',1),("x",2) ON DUPLICATE KEY UPDATE subject=VALUES(subject);
CREATE TABLE `ost_file_chunk` (`file_id` int, `chunk_id` int, `filedata` longblob);
INSERT INTO `ost_file_chunk` VALUES (1,0,0xDEADBEEF),(1,1,X'00ff'),(2,0,_binary 'z\Z'),(3,-1,NULL);
CREATE TABLE `ost_ticket` (`ticket_id` int, `number` varchar(20), `user_id` int, `status_id` int, `created` datetime);
INSERT INTO `ost_ticket` VALUES (1,'1001',1,1,'2021-01-01 00:00:00'),(2,NULL,0,1,'0000-00-00 00:00:00'),(3,'1003',2);
