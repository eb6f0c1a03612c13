// Each department's chat widget: the declared resource `chat-widgets` (admins), one per
// department, with the snippet a site pastes to show it.
#include "services/chat_service.hpp"

namespace gongdan::services {

const Resource<ChatWidget>& chat_widget_resource() {
  static const Resource<ChatWidget> r = declare<ChatWidget>(
      resource_info("chat-widgets", "chat_widget", {"Live chat", "在线聊天"}, "chat")
          .table("chat_widgets")
          .order_by("id")
          .ops({.remove = true}),
      {field_of(&ChatWidget::id, id_field()),
       field_of(&ChatWidget::department_id,
                reference_field("department", "departments", {"Department", "部门"},
                                {"Whose agents answer this widget's chats.",
                                 "由该部门的客服接待此窗口的聊天。"})
                    .column("department_id")
                    .required()
                    .unique()),
       field_of(&ChatWidget::enabled,
                switch_field("enabled", {"Enabled", "启用"},
                             {"Off: the widget does not show.", "关闭后网页上不显示聊天窗口。"})),
       field_of(&ChatWidget::colour,
                text_field("colour", {"Colour", "颜色"}, {"#rrggbb.", "#rrggbb 格式。"}).max(7)),
       field_of(&ChatWidget::greeting_en,
                text_field("greeting_en", {"Greeting (English)", "问候语（英文）"}).max(500)),
       field_of(&ChatWidget::greeting_zh,
                text_field("greeting_zh", {"Greeting (Chinese)", "问候语（中文）"}).max(500)),
       field_of(&ChatWidget::max_chats_per_agent,
                integer_field("max_chats_per_agent",
                              {"Chats per agent at once", "每位客服同时接待的聊天数"},
                              {"More wait in the queue.", "超出的访客排队等候。"})
                    .range(1, 50)),
       unheld<ChatWidget>(long_text_field("embed", {"Embed snippet", "嵌入代码"},
                                          {"Paste it before </body> of your site's pages.",
                                           "粘贴到网站页面的 </body> 之前。"})
                              .column("-")
                              .read_only()),
       field_of(&ChatWidget::created_at, time_field("created_at")),
       field_of(&ChatWidget::updated_at, time_field("updated_at"))});
  return r;
}

void ChatService::add_to(Resources& resources) {
  Hooks<ChatWidget> hooks;
  hooks.check = item_check<ChatWidget>([](ChatWidget& w) -> Result<void> {
    if (!is_hex_colour(w.colour))
      return fail(ErrorCode::kInvalidArgument, "a colour is #rrggbb", "colour");
    return {};
  });
  hooks.describe = [this](const ChatWidget& w, boost::json::object& out) {
    out["embed"] = "<script src=\"" + public_url_ + "/chat.js\" data-widget=\"" +
                   std::to_string(w.id) + "\" async></script>";
  };
  resources.add(chat_widget_resource(), std::move(hooks));
}

}  // namespace gongdan::services
