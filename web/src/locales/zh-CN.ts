export default {
  app: { name: '工单', desk: '客服工作台', portal: '客户服务中心', language: '语言' },
  auth: {
    signIn: '登录', signOut: '退出登录', email: '邮箱', password: '密码',
    signUp: '注册账号', name: '姓名', haveAccount: '已有账号？去登录',
    noAccount: '还没有账号？去注册', failed: '登录失败',
  },
  views: {
    my_open: '我的待处理工单', unassigned: '我部门的未分配工单', all_open: '全部待处理',
    pending: '等待回复', recently_solved: '最近已解决', saved: '已保存的视图', title: '视图',
  },
  list: {
    subject: '主题', requester: '提交人', status: '状态', priority: '优先级',
    assignee: '处理人', updated: '更新时间', sort: '排序', newest: '最近更新',
    oldest: '最早更新', newestCreated: '最新创建', byPriority: '优先级',
    empty: '这里没有工单', selected: '已选 {n} 个', selectAll: '全选',
    bulkStatus: '设置状态', bulkPriority: '设置优先级', bulkAssignMe: '分配给我',
    bulkTag: '添加标签', apply: '应用', anyPriority: '任意优先级', newTicket: '新',
    bulkDone: '已修改 {ok}/{n} 个工单', select: '选择工单 #{n}',
  },
  priority: { low: '低', normal: '普通', high: '高', urgent: '紧急' },
  type: { question: '咨询', incident: '故障', problem: '问题', task: '任务' },
  ticket: {
    reply: '公开回复', note: '内部备注', send: '发送', sendNote: '添加备注',
    internal: '内部备注', public: '公开回复', history: '历史记录', details: '详情',
    department: '部门', type: '类型', tags: '标签', customFields: '自定义字段',
    save: '保存', saved: '已保存', none: '无', attach: '添加附件',
    dropHere: '拖放或粘贴文件到这里', viewing: '正在查看：{names}',
    replying: '{name} 正在回复', back: '返回收件箱', conversation: '对话',
    placeholderReply: '给客户写回复…', placeholderNote: '仅客服可见…',
    markSolved: '标记为已解决', solved: '此工单已解决', changed: '{field}：{old} → {new}',
    notFound: '工单不存在或您无权查看', setStatus: '发送后的状态',
    otherTickets: '该客户的其他工单', keepStatus: '保持状态', draftKept: '草稿已保存在本设备',
  },
  profile: {
    title: '个人设置', language: '语言', timeZone: '时区', signature: '签名',
    password: '修改密码', current: '当前密码', next: '新密码', saved: '已保存',
  },
  keys: {
    title: '键盘快捷键', next: '下一个工单', prev: '上一个工单', open: '打开工单',
    reply: '回复', help: '显示此帮助', select: '选择工单', close: '关闭',
  },
  portal: {
    myTickets: '我的工单', newTicket: '提交工单', subject: '主题',
    description: '描述您的问题', department: '部门', submit: '提交',
    submitted: '工单 #{n} 已提交', received: '谢谢，我们已收到您的请求', reply: '追加回复', empty: '还没有工单',
  },
  common: { loading: '加载中…', error: '出错了', cancel: '取消', ok: '确定' },
}
