#include "channels/import/sql_dump.hpp"

#include <utility>

#include "util/text.hpp"

namespace gongdan::import {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

bool is_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || c == '.' || c == '-' || c == '+';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The byte a MySQL backslash escape stands for: \0 \b \n \r \t \Z name one, and the rest
// (\\ \' \" …) stand for themselves.
char unescaped(char e) {
  static constexpr std::pair<char, char> kEscapes[] = {{'0', '\0'}, {'b', '\b'}, {'n', '\n'},
                                                       {'r', '\r'}, {'t', '\t'}, {'Z', '\x1a'}};
  for (const auto& [letter, byte] : kEscapes)
    if (e == letter) return byte;
  return e;
}

// A cursor over the dump that counts lines. Every reader returns false at something it cannot
// read; the caller then names the line.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  bool done() const { return at_ >= s_.size(); }
  std::size_t line() const { return line_; }
  char peek(std::size_t k = 0) const { return at_ + k < s_.size() ? s_[at_ + k] : '\0'; }

  void advance(std::size_t n = 1) {
    for (; n > 0 && at_ < s_.size(); --n, ++at_)
      if (s_[at_] == '\n') ++line_;
  }

  // White space and comments (`-- `, `#`, `/* */` and the conditional `/*!40101 … */`).
  bool skip_space() {
    for (;;) {
      while (!done() && is_space(peek())) advance();
      if ((peek() == '-' && peek(1) == '-' && (is_space(peek(2)) || at_ + 2 == s_.size())) ||
          peek() == '#') {
        while (!done() && peek() != '\n') advance();
      } else if (peek() == '/' && peek(1) == '*') {
        const auto end = s_.find("*/", at_ + 2);
        if (end == std::string_view::npos) return false;
        advance(end + 2 - at_);
      } else {
        return true;
      }
    }
  }

  std::string word() {
    std::string out;
    while (!done() && is_word(peek())) {
      out.push_back(peek());
      advance();
    }
    return out;
  }

  bool keyword(std::string_view expected) {
    if (!skip_space()) return false;
    const auto start = at_;
    auto w = word();
    if (text::to_lower_ascii(w) == expected) return true;
    at_ = start;  // not consumed: no line break inside a word
    return false;
  }

  // `name`, name, or `db`.`name` (the last part is the name).
  bool identifier(std::string& out) {
    if (!skip_space()) return false;
    for (;;) {
      out.clear();
      if (peek() == '`') {
        advance();
        for (;;) {
          if (done()) return false;
          if (peek() == '`' && peek(1) == '`') {
            out.push_back('`');
            advance(2);
          } else if (peek() == '`') {
            advance();
            break;
          } else {
            out.push_back(peek());
            advance();
          }
        }
      } else {
        out = word();
        if (out.empty()) return false;
      }
      if (peek() != '.') return true;
      advance();
    }
  }

  // A quoted string, with MySQL's backslash escapes and a doubled quote for the quote.
  bool quoted(std::string& out) {
    const char quote = peek();
    advance();
    for (;;) {
      if (done()) return false;
      const char c = peek();
      if (c == '\\') {
        const char e = peek(1);
        advance(2);
        if (e == '\0' && done()) return false;  // a backslash that ends the input
        out.push_back(unescaped(e));
      } else if (c == quote && peek(1) == quote) {
        out.push_back(quote);
        advance(2);
      } else if (c == quote) {
        advance();
        return true;
      } else {
        out.push_back(c);
        advance();
      }
    }
  }

  // One value of a row: nullopt for NULL; false when it is none.
  bool value(std::optional<std::string>& out) {
    if (!skip_space()) return false;
    if (peek() == '_') {  // a character set introducer: _binary '…', _utf8mb4 '…'
      word();
      if (!skip_space()) return false;
    }
    std::string text;
    if (peek() == '\'' || peek() == '"') {
      if (!quoted(text)) return false;
      out = std::move(text);
      return true;
    }
    if ((peek() == 'x' || peek() == 'X') && peek(1) == '\'') {
      advance();
      if (!quoted(text)) return false;
      return unhex(text, out);
    }
    auto w = word();
    if (w.empty()) return false;
    if (text::to_lower_ascii(w) == "null") {
      out.reset();
      return true;
    }
    if (w.size() >= 2 && w[0] == '0' && (w[1] == 'x' || w[1] == 'X'))
      return unhex(w.substr(2), out);
    out = std::move(w);
    return true;
  }

  // The items of a list in parentheses, after its `(`: each read by `read` and appended to
  // `out`, separated by `,`, past the `)` that ends it; false when the list is malformed.
  template <class T>
  bool list_items(std::vector<T>& out, bool (Scanner::*read)(T&)) {
    for (;;) {
      T item;
      if (!(this->*read)(item) || !skip_space()) return false;
      out.push_back(std::move(item));
      const char c = peek();
      advance();
      if (c == ')') return true;
      if (c != ',') return false;
    }
  }

  // The next character outside quoted text, which is passed over whole; nullopt at the end of
  // the input or in quoted text that never ends.
  std::optional<char> next_unquoted() {
    for (;;) {
      if (done()) return std::nullopt;
      const char c = peek();
      if (c != '\'' && c != '"' && c != '`') return c;
      std::string ignored;
      if (!quoted(ignored)) return std::nullopt;
    }
  }

  // Past the next `;` outside quotes; false when the statement never ends.
  bool skip_statement() {
    for (;;) {
      const auto c = next_unquoted();
      if (!c) return false;
      advance();
      if (*c == ';') return true;
    }
  }

  // Past one column or key definition of CREATE TABLE, to the `,` or `)` that ends it.
  bool skip_definition() {
    int depth = 0;
    for (;;) {
      const auto next = next_unquoted();
      if (!next) return false;
      const char c = *next;
      if (c == '(') ++depth;
      if (c == ')' && depth-- == 0) return true;
      if (c == ',' && depth == 0) return true;
      advance();
    }
  }

 private:
  static bool unhex(std::string_view hex, std::optional<std::string>& out) {
    if (hex.size() % 2 != 0) return false;
    std::string bytes;
    bytes.reserve(hex.size() / 2);
    for (std::size_t i = 0; i < hex.size(); i += 2) {
      const int hi = hex_value(hex[i]), lo = hex_value(hex[i + 1]);
      if (hi < 0 || lo < 0) return false;
      bytes.push_back(static_cast<char>(hi * 16 + lo));
    }
    out = std::move(bytes);
    return true;
  }

  std::string_view s_;
  std::size_t at_ = 0;
  std::size_t line_ = 1;
};

class DumpReader {
 public:
  DumpReader(std::string_view bytes, std::string_view file,
             const std::function<bool(std::string_view)>& wanted)
      : in_(bytes), file_(file), wanted_(wanted) {}

  SqlDump read() {
    for (;;) {
      if (!in_.skip_space()) return stop(in_.line(), "a comment that never ends");
      if (in_.done()) return std::move(out_);
      const auto line = in_.line();
      if (in_.peek() == ';') {
        in_.advance();
        continue;
      }
      bool ok = true;
      if (in_.keyword("create"))
        ok = create();
      else if (in_.keyword("insert") || in_.keyword("replace"))
        ok = insert();
      else
        ok = in_.skip_statement();
      if (!ok) return stop(line, "a statement that cannot be read or never ends (a dump cut off?)");
    }
  }

 private:
  SqlDump stop(std::size_t line, std::string what) {
    out_.problems.push_back({where(line), std::move(what)});
    return std::move(out_);
  }

  std::string where(std::size_t line) const {
    return std::string(file_) + " line " + std::to_string(line);
  }

  bool create() {
    if (!in_.keyword("table")) return in_.skip_statement();
    if (in_.keyword("if") && !(in_.keyword("not") && in_.keyword("exists"))) return false;
    std::string name;
    if (!in_.identifier(name) || !in_.skip_space() || in_.peek() != '(') return false;
    in_.advance();
    std::vector<std::string> columns;
    for (;;) {
      if (!in_.skip_space()) return false;
      if (in_.peek() == '`') {
        std::string column;
        if (!in_.identifier(column)) return false;
        columns.push_back(std::move(column));
      }
      if (!in_.skip_definition()) return false;
      const char end = in_.peek();
      in_.advance();
      if (end == ')') break;
    }
    // A table made again starts empty, as it does on a server (mysqldump writes DROP TABLE
    // before each CREATE).
    if (wanted_(name)) out_.tables[name] = SqlTable{std::move(columns), {}, {}};
    return in_.skip_statement();
  }

  bool insert() {
    while (!in_.keyword("into"))  // IGNORE, LOW_PRIORITY, DELAYED, HIGH_PRIORITY
      if (!in_.skip_space() || in_.word().empty()) return false;
    std::string name;
    if (!in_.identifier(name)) return false;
    if (!wanted_(name)) return in_.skip_statement();
    auto& table = out_.tables[name];
    std::vector<std::string> listed;
    if (!in_.skip_space()) return false;
    if (in_.peek() == '(') {
      in_.advance();
      if (!in_.list_items(listed, &Scanner::identifier)) return false;
      if (table.columns.empty()) table.columns = listed;
    }
    if (!in_.keyword("values") && !in_.keyword("value")) return false;
    for (;;) {
      if (!in_.skip_space() || in_.peek() != '(') return false;
      const auto line = in_.line();
      in_.advance();
      std::vector<std::optional<std::string>> row;
      if (!in_.list_items(row, &Scanner::value)) return false;
      add_row(table, name, listed, std::move(row), line);
      if (!in_.skip_space()) return false;
      const char c = in_.peek();
      if (c == ',') {
        in_.advance();
        continue;
      }
      if (c == ';') {
        in_.advance();
        return true;
      }
      return in_.skip_statement();  // ON DUPLICATE KEY UPDATE …
    }
  }

  void add_row(SqlTable& table, const std::string& name, const std::vector<std::string>& listed,
               std::vector<std::optional<std::string>> row, std::size_t line) {
    const auto& names = listed.empty() ? table.columns : listed;
    if (row.size() != names.size()) {
      out_.problems.push_back({where(line), name + ": a row of " + std::to_string(row.size()) +
                                                " values for " + std::to_string(names.size()) +
                                                " columns"});
      return;
    }
    if (!listed.empty() && listed != table.columns) {  // into CREATE TABLE's order
      std::vector<std::optional<std::string>> ordered(table.columns.size());
      for (std::size_t i = 0; i < listed.size(); ++i)
        if (auto at = table.column(listed[i])) ordered[*at] = std::move(row[i]);
      row = std::move(ordered);
    }
    table.rows.push_back(std::move(row));
    table.lines.push_back(line);
  }

  Scanner in_;
  std::string_view file_;
  const std::function<bool(std::string_view)>& wanted_;
  SqlDump out_;
};

}  // namespace

std::optional<std::size_t> SqlTable::column(std::string_view name) const {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return i;
  return std::nullopt;
}

SqlDump read_sql_dump(std::string_view bytes, std::string_view file,
                      const std::function<bool(std::string_view)>& wanted) {
  return DumpReader(bytes, file, wanted).read();
}

}  // namespace gongdan::import
