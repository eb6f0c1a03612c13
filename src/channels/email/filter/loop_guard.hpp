// Classifies an incoming message so that gongdan never answers a machine: auto-replies, bounces
// and mailing lists never receive an automatic acknowledgement, and auto-replies and bounces
// never open a ticket of their own.
//
// Contract: pure; reads only the ParsedMessage. Signals used:
//  - auto-reply: Auto-Submitted other than "no" (RFC 3834), X-Autoreply and kin,
//    X-Auto-Response-Suppress (All/OOF/AutoReply), vendor headers (X-QQ-HolidayReply ...), QQ's
//    "+auto_=" Sender, Precedence: auto_reply, vacation subjects (自动回复, 自动答复, Out of
//    Office, Automatic reply, Auto: ...);
//  - bounce: multipart/report with delivery status, the null Return-Path "<>",
//    MAILER-DAEMON/postmaster senders, bounce subjects (系统退信, Undeliverable ...); a report
//    whose Action is "delayed" or whose Status is 4.x.x is a delay warning, not a hard bounce;
//  - list: Precedence bulk/junk/list, List-Id.
// The per-address hourly cap and "not to our own addresses" need state and live in services/.
#pragma once

#include <string>

#include "channels/email/parse/parsed_message.hpp"

namespace gongdan::email {

struct LoopVerdict {
  bool auto_reply = false;
  bool bounce = false;
  bool hard_bounce = false;       // permanent failure: the recipient address may be flagged
  bool delivery_delayed = false;  // a 4.x.x warning; the recipient stays valid
  bool list = false;              // mailing list or bulk mail
  bool no_valid_sender = false;   // no usable From address to answer
  std::string reason;             // human-readable, "; "-separated; empty for ordinary mail

  // May this message open a new ticket? (Replies to existing tickets still thread.)
  bool may_open_ticket() const { return !auto_reply && !bounce; }
  // May gongdan send an automatic acknowledgement in answer?
  bool may_auto_reply() const { return !auto_reply && !bounce && !list && !no_valid_sender; }
};

LoopVerdict classify_loop(const ParsedMessage& message);

}  // namespace gongdan::email
