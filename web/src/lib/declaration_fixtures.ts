// For tests only: declarations shaped as GET /api/v1/resources answers them (mailboxes,
// calendars, SLA policies, triggers, webhooks), so the admin form's tests need no server.
import type { Declaration, DeclaredField, Words } from './admin'

const words = (en: string, zh: string): Words => ({ en, 'zh-CN': zh })
const base = { required: false, create_only: false, read_only: false, nullable: false }
type Extra = Partial<DeclaredField>

function f(key: string, kind: DeclaredField['kind'], en: string, zh: string, extra: Extra = {}): DeclaredField {
  return { ...base, key, kind, label: words(en, zh), ...extra }
}

function declaration(name: string, path: string, en: string, zh: string, fields: DeclaredField[], put = false): Declaration {
  return {
    name, noun: name, title: words(en, zh), path: '/api/v1' + path, read: 'admins', write: 'admins',
    personal: false, paged: false, body_field: null,
    operations: { list: true, get: true, create: true, update: put ? 'PUT' : 'PATCH', remove: true },
    fields: [f('id', 'id', 'ID', '编号', { read_only: true }), ...fields],
  }
}

const tls = ['tls', 'starttls', 'none']
const events = 'ticket.created, ticket.updated, message.added, sla.warning, sla.breach'

export const fixtureDeclarations: Declaration[] = [
  declaration('mailboxes', '/mailboxes', 'Mail channels', '邮件渠道', [
    f('address', 'text', 'Address', '地址', { required: true }),
    f('department', 'reference', 'Department', '部门', { references: 'departments', nullable: true }),
    f('imap_host', 'text', 'IMAP host', 'IMAP 服务器'), f('imap_port', 'integer', 'IMAP port', 'IMAP 端口', { default: 993 }),
    f('imap_tls', 'choice', 'IMAP security', 'IMAP 加密', { choices: tls, default: 'tls' }),
    f('imap_user', 'text', 'IMAP user', 'IMAP 用户'), f('imap_password', 'secret', 'IMAP password', 'IMAP 密码', { shown_as: 'has_password' }),
    f('imap_folder', 'text', 'IMAP folder', 'IMAP 文件夹', { default: 'INBOX' }),
    f('poll_seconds', 'integer', 'Poll every (s)', '轮询间隔（秒）', { default: 60 }),
    f('after_fetch', 'choice', 'After fetching', '收取之后', { choices: ['seen', 'move', 'delete'], default: 'seen' }),
    f('move_to', 'text', 'Move to folder', '移至文件夹'),
    f('smtp_host', 'text', 'SMTP host', 'SMTP 服务器'), f('smtp_port', 'integer', 'SMTP port', 'SMTP 端口', { default: 587 }),
    f('smtp_tls', 'choice', 'SMTP security', 'SMTP 加密', { choices: tls, default: 'starttls' }),
    f('smtp_user', 'text', 'SMTP user', 'SMTP 用户'), f('smtp_password', 'secret', 'SMTP password', 'SMTP 密码', { shown_as: 'has_smtp_password' }),
    f('acknowledge', 'boolean', 'Send an acknowledgement', '发送自动确认'),
    f('trusted', 'boolean', 'Trusted (headers apply)', '受信任（采用邮件头）'),
    f('active', 'boolean', 'Active', '启用', { default: true }),
  ]),
  { ...declaration('calendars', '/calendars', 'Business calendars', '工作日历', [
    f('name', 'text', 'Name', '名称', { read_only: true }),
    f('spec', 'json', 'Calendar definition', '日历定义', {
      required: true,
      example: '{"name": "Shanghai", "time_zone": "Asia/Shanghai", "weekly_hours": {"mon": ["09:00-18:00"]}, "holidays": []}',
    }),
  ], true), body_field: 'spec' },
  declaration('sla-policies', '/sla-policies', 'SLA policies', '服务级别策略', [
    f('name', 'text', 'Name', '名称', { required: true }), f('position', 'integer', 'Position', '排序'),
    f('calendar', 'reference', 'Calendar', '日历', { references: 'calendars', nullable: true }),
    f('conditions', 'json', 'Conditions', '条件', { example: '{"priority": ["urgent", "high"]}' }),
    f('first_response_minutes', 'integer', 'First response (minutes)', '首次响应（分钟）', { group: 'targets', nullable: true }),
    f('next_response_minutes', 'integer', 'Next response (minutes)', '后续响应（分钟）', { group: 'targets', nullable: true }),
    f('resolution_minutes', 'integer', 'Resolution (minutes)', '解决（分钟）', { group: 'targets', nullable: true }),
    f('warning_minutes', 'integer', 'Warn minutes before', '提前警告（分钟）', { nullable: true }),
    f('active', 'boolean', 'Active', '启用', { default: true }),
  ]),
  declaration('triggers', '/triggers', 'Triggers', '触发器', [
    f('name', 'text', 'Name', '名称', { required: true }), f('position', 'integer', 'Position', '排序'),
    f('active', 'boolean', 'Active', '启用', { default: true }),
    f('conditions', 'json', 'Conditions', '条件', {
      required: true, example: '{"all": [{"field": "update_type", "operator": "is", "value": "create"}], "any": []}',
      schema: { type: 'object', properties: { all: { type: 'array' }, any: { type: 'array' } } },
    }),
    f('actions', 'json', 'Actions', '动作', {
      required: true, example: '[{"type": "add_tags", "tags": ["new"]}]', schema: { type: 'array', items: { type: 'object' } },
    }),
  ]),
  declaration('webhooks', '/webhooks', 'Webhooks', 'Webhook', [
    f('url', 'text', 'URL', '地址', { required: true, max_length: 2000 }),
    f('events', 'text_list', 'Events', '事件', { required: true, help: words(events, events) }),
    f('format', 'choice', 'Format', '格式', { choices: ['json', 'wecom', 'dingtalk', 'feishu', 'slack'], default: 'json' }),
    f('department', 'reference', 'Department', '部门', { references: 'departments', nullable: true }),
    f('description', 'text', 'Description', '说明'), f('template', 'long_text', 'Message template', '消息模板'),
    f('secret', 'secret', 'Secret', '密钥'), f('active', 'boolean', 'Active', '启用', { default: true }),
  ]),
]
