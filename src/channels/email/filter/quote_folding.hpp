// Splitting a reply into what the sender wrote now and what they quoted, so an agent sees the new
// part and the history stays one click away.
//
// Contract: pure; never fails. Nothing is ever lost: body + signature + quoted (text), or
// body + quoted (HTML), hold all of the input's content. When the new part would come out empty
// (a message that is nothing but a forward), nothing is folded and everything stays in body.
// Recognised: `>` quoting that runs to the end of the message; "On … wrote:" (Gmail, Apple Mail,
// Thunderbird, also split over two lines); "-----Original Message-----"; Outlook's
// From:/Sent:/To:/Subject: block (and its Chinese form 发件人/发送时间/收件人/主题); Chinese
// Outlook, Foxmail, QQ Mail and NetEase 163/126 separators (-----原始邮件-----, -----邮件原件-----,
// ------------------ 原始邮件 ------------------, "在 2026年…写道："); "-- " signatures and "Sent
// from my iPhone"-style lines. HTML adds the clients' markers: Gmail's gmail_quote, Apple and
// Thunderbird's <blockquote type="cite">, Outlook's divRplyFwdMsg / appendonsend / border-top rule,
// Hotmail's stopSpelling, Yahoo's yahoo_quoted, NetEase's isReplyContent.
#pragma once

#include <string>
#include <string_view>

namespace gongdan::email {

struct FoldedText {
  std::string body;       // the new text
  std::string signature;  // from a signature marker up to the quoted part; may be empty
  std::string quoted;     // the quoted history; may be empty
};

FoldedText fold_quotes(std::string_view text);

// Both halves are raw HTML, not yet sanitised: pass each through sanitize_html. Folding runs
// first because the markers (class, id) are attributes the sanitiser removes.
struct FoldedHtml {
  std::string body;
  std::string quoted;
};

FoldedHtml fold_quotes_html(std::string_view html);

}  // namespace gongdan::email
