// The help centre's setting (the resource help-settings: one row, admins write, everyone signed
// in reads): the company's name, logo and colour on every /help page, and the languages the help
// centre and the article editor offer, the first the default.
#include "services/kb_service.hpp"
#include "services/resource_load.hpp"
#include "services/resource_service.hpp"
#include "store/database.hpp"
#include "store/kb_store.hpp"

namespace gongdan::services {

const Resource<HelpSetting>& help_setting_resource() {
  using S = HelpSetting;
  static const Resource<S> r = declare<S>(
      resource_info("help-settings", "help_setting", {"Help centre", "帮助中心"}, "help centre")
          .table("help_settings")
          .order_by("id")
          .read_by(Audience::kSignedIn)
          .ops({.list = true, .get = true, .create = false, .update = true, .remove = false}),
      {field_of(&S::id, id_field()),
       field_of(&S::company_name,
                text_field("company_name", {"Company name", "公司名称"},
                           {"Shown before \"Help Centre\" on every page; empty: the server's "
                            "company_name.",
                            "显示在每页的“帮助中心”之前；留空则用服务器配置的 company_name。"})
                    .max(100)),
       field_of(
           &S::logo_url,
           text_field("logo_url", {"Logo", "标志"},
                      {"An https:// address, or an image uploaded with an article "
                       "(/help-files/<id>); empty: none.",
                       "https:// 地址，或随文章上传的图片（/help-files/<id>）；留空则不显示。"})
               .max(500)),
       field_of(&S::colour, text_field("colour", {"Colour", "颜色"},
                                       {"#rrggbb: the header, links and buttons.",
                                        "#rrggbb 格式：页头、链接和按钮的颜色。"})
                                .max(7)),
       field_of(&S::languages,
                list_field("languages", {"Languages", "语言"},
                           {"Offered on /help and in the article editor, the first the default: "
                            "zh-CN, en, zh-TW, ja, ko, fr, de, es.",
                            "帮助中心和文章编辑器提供的语言，第一个为默认：zh-CN、en、zh-TW、ja、"
                            "ko、fr、de、es。"})),
       field_of(&S::updated_at, time_field("updated_at"))});
  return r;
}

void KbService::add_help_setting(Resources& resources) {
  Hooks<HelpSetting> hooks;
  hooks.check = item_check<HelpSetting>([](HelpSetting& s) { return check_help_setting(s); });
  hooks.written = [](store::Connection& c, const HelpSetting&, Change) {
    return store::bump_kb_generation(c);
  };
  hooks.after_write = [this] { changed(); };
  resources.add(help_setting_resource(), std::move(hooks));
}

Result<std::shared_ptr<const HelpSetting>> KbService::help_setting() {
  return setting_cache_.get([&]() -> Result<std::shared_ptr<const HelpSetting>> {
    std::vector<HelpSetting> all;
    GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
      GONGDAN_ASSIGN(all, load_all(c, help_setting_resource()));
      return {};
    }));
    return std::make_shared<const HelpSetting>(all.empty() ? HelpSetting{} : all.front());
  });
}

}  // namespace gongdan::services
