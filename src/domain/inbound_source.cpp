#include "domain/inbound_source.hpp"

#include "util/enum_names.hpp"

namespace gongdan {
namespace {

constexpr Named<InboundKind> kInboundKinds[] = {
    {InboundKind::kGeneric, "generic"},   {InboundKind::kTelegram, "telegram"},
    {InboundKind::kCti, "cti"},           {InboundKind::kWecom, "wecom"},
    {InboundKind::kDingtalk, "dingtalk"}, {InboundKind::kFeishu, "feishu"},
};

}  // namespace

std::string_view inbound_kind_name(InboundKind kind) {
  return name_in(kInboundKinds, kind, "generic");
}

std::optional<InboundKind> parse_inbound_kind(std::string_view name) {
  return value_in(kInboundKinds, name);
}

}  // namespace gongdan
