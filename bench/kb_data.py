"""Loads N knowledge-base articles, each published in Chinese and English, through the API (a
Bearer token, 8 connections at once): bench/kb.sh's data. Prints the first article id."""
import http.client
import json
import sys
import threading

TEXTS = [
    ("打印机无法连接", "办公室的打印机从早上开始无法连接。请先检查网线和电源，然后重启打印机。",
     "Printer cannot connect", "The office printer stopped connecting. Check the cable and the "
     "power, then restart the printer."),
    ("VPN 认证失败", "在家连接 VPN 时提示认证失败，请确认账号密码并更新客户端。",
     "VPN authentication fails", "From home the VPN says the password is wrong: check the "
     "account and update the client."),
    ("发票抬头修改", "发票抬头写错了可以重新开具，请提供公司名称和税号。",
     "Change the invoice address", "A wrong invoice address can be corrected: send the "
     "company name and tax number."),
    ("账号锁定怎么办", "多次输错密码后账号会锁定十五分钟，之后可以重试或联系管理员。",
     "Account locked", "After several wrong passwords the account is locked for fifteen "
     "minutes; try again later or ask an admin."),
    ("退款申请流程", "退款会在三个工作日内原路返回，请在订单页面提交申请。",
     "Refund requests", "Refunds return to the original payment within three working days; "
     "ask for one on the order page."),
]


def main():
    host, port, token, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    first_conn = http.client.HTTPConnection(host, port, timeout=60)

    def call(conn, method, path, body):
        conn.request(method, path, body=json.dumps(body), headers=headers)
        r = conn.getresponse()
        data = r.read()
        if r.status >= 300:
            raise SystemExit(f"{method} {path}: {r.status} {data[:200]!r}")
        return json.loads(data) if data else None

    category = call(first_conn, "POST", "/api/v1/kb/categories", {"name": "Bench", "name_zh": "压测"})
    sections = [call(first_conn, "POST", "/api/v1/kb/sections",
                     {"category": category["id"], "name": f"Section {i}", "name_zh": f"栏目{i}"})
                ["id"] for i in range(20)]
    ids = []
    lock = threading.Lock()

    def worker(start):
        conn = http.client.HTTPConnection(host, port, timeout=60)
        for n in range(start, count, 8):
            zh_title, zh_body, en_title, en_body = TEXTS[n % len(TEXTS)]
            a = call(conn, "POST", "/api/v1/kb/articles", {"section": sections[n % 20]})
            topic = f"topic{n}"
            call(conn, "PUT", f"/api/v1/kb/articles/{a['id']}/translations/zh-CN",
                 {"title": f"{zh_title} {topic}", "body": f"# {zh_title}\n\n{zh_body}\n",
                  "state": "published"})
            call(conn, "PUT", f"/api/v1/kb/articles/{a['id']}/translations/en",
                 {"title": f"{en_title} {topic}", "body": f"# {en_title}\n\n{en_body}\n",
                  "state": "published"})
            with lock:
                ids.append(a["id"])

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if len(ids) != count:
        raise SystemExit(f"loaded {len(ids)} of {count}")
    print(min(ids))


if __name__ == "__main__":
    main()
