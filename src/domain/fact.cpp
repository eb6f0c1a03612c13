#include "domain/fact.hpp"

namespace gongdan {

std::string fact_to_string(const FactValue& value) {
  struct Visitor {
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(std::int64_t n) const { return std::to_string(n); }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(const FactList& list) const {
      std::string out;
      for (const auto& item : list) {
        if (!out.empty()) out += ", ";
        out += item;
      }
      return out;
    }
  };
  return std::visit(Visitor{}, value);
}

}  // namespace gongdan
