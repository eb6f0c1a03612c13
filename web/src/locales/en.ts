export default {
  app: { name: 'gongdan', desk: 'Agent desk', portal: 'Support portal', language: 'Language' },
  auth: {
    signIn: 'Sign in', signOut: 'Sign out', email: 'Email', password: 'Password',
    signUp: 'Create an account', name: 'Name', haveAccount: 'Already have an account? Sign in',
    noAccount: 'No account yet? Sign up', failed: 'Sign-in failed',
  },
  views: {
    my_open: 'My open tickets', unassigned: 'Unassigned in my departments', all_open: 'All open',
    pending: 'Pending', recently_solved: 'Recently solved', saved: 'Saved views', title: 'Views',
  },
  list: {
    subject: 'Subject', requester: 'Requester', status: 'Status', priority: 'Priority',
    assignee: 'Assignee', updated: 'Updated', sort: 'Sort', newest: 'Recently updated',
    oldest: 'Least recently updated', newestCreated: 'Newest', byPriority: 'Priority',
    empty: 'No tickets here', selected: '{n} selected', selectAll: 'Select all',
    bulkStatus: 'Set status', bulkPriority: 'Set priority', bulkAssignMe: 'Assign to me',
    bulkTag: 'Add tag', apply: 'Apply', anyPriority: 'Any priority', newTicket: 'New',
    bulkDone: '{ok} of {n} tickets changed', select: 'Select ticket #{n}',
  },
  priority: { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' },
  type: { question: 'Question', incident: 'Incident', problem: 'Problem', task: 'Task' },
  ticket: {
    reply: 'Public reply', note: 'Internal note', send: 'Send', sendNote: 'Add note',
    internal: 'Internal note', public: 'Public reply', history: 'History', details: 'Details',
    department: 'Department', type: 'Type', tags: 'Tags', customFields: 'Custom fields',
    save: 'Save', saved: 'Saved', none: 'None', attach: 'Attach files',
    dropHere: 'Drop files here or paste them', viewing: 'Also here: {names}',
    replying: '{name} is replying', back: 'Back to inbox', conversation: 'Conversation',
    placeholderReply: 'Write a reply to the customer…', placeholderNote: 'Only agents see this…',
    markSolved: 'Mark as solved', solved: 'This ticket is solved', changed: '{field}: {old} → {new}',
    notFound: 'This ticket does not exist or you may not see it', setStatus: 'Status after sending',
    otherTickets: 'Other tickets of the requester', keepStatus: 'Keep status', draftKept: 'Draft kept on this device',
  },
  profile: {
    title: 'Profile', language: 'Language', timeZone: 'Time zone', signature: 'Signature',
    password: 'Change password', current: 'Current password', next: 'New password', saved: 'Saved',
  },
  keys: {
    title: 'Keyboard shortcuts', next: 'Next ticket', prev: 'Previous ticket', open: 'Open ticket',
    reply: 'Reply', help: 'Show this help', select: 'Select ticket', close: 'Close',
  },
  portal: {
    myTickets: 'My requests', newTicket: 'Submit a request', subject: 'Subject',
    description: 'Describe your problem', department: 'Department', submit: 'Submit',
    submitted: 'Request #{n} submitted', received: 'Thank you, we received your request', reply: 'Add a reply', empty: 'No requests yet',
  },
  common: { loading: 'Loading…', error: 'Something went wrong', cancel: 'Cancel', ok: 'OK' },
}
