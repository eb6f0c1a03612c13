#include "services/provider_files.hpp"

#include <boost/json.hpp>

#include "util/crypto.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

namespace json = boost::json;

constexpr std::string_view kTokenSlot = "{access_token}";
constexpr std::size_t kMiB = 1024 * 1024;

bool jpeg_or_png(std::string_view type) { return type == "image/jpeg" || type == "image/png"; }

// The file's extension, lower-case, without the dot ("" when it has none).
std::string extension_of(std::string_view filename) {
  const auto dot = filename.find_last_of('.');
  if (dot == std::string_view::npos || dot + 1 == filename.size()) return {};
  return text::to_lower_ascii(filename.substr(dot + 1));
}

// Feishu's file_type: one of its named kinds, else "stream" (any file).
std::string feishu_file_type(std::string_view filename) {
  const std::string ext = extension_of(filename);
  if (ext == "pdf" || ext == "mp4" || ext == "opus") return ext;
  if (ext == "doc" || ext == "docx") return "doc";
  if (ext == "xls" || ext == "xlsx") return "xls";
  if (ext == "ppt" || ext == "pptx") return "ppt";
  return "stream";
}

std::string too_large(std::string_view provider, std::size_t max) {
  return "the file is larger than " + std::string(provider) + " takes (" +
         std::to_string(max / kMiB) + " MB)";
}

ImDelivery multipart_post(const InboundSource& source, std::optional<TokenRequest> token,
                          std::string url, const Multipart& form) {
  ImDelivery d{source.kind, std::move(url), form.body, {}, std::move(token)};
  d.headers.emplace_back("Content-Type", form.content_type);
  return d;
}

ImDelivery json_post(const InboundSource& source, TokenRequest token, std::string url,
                     const json::object& body) {
  ImDelivery d{source.kind, std::move(url), json::serialize(body), {}, std::move(token)};
  d.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  return d;
}

// A name safe inside a quoted Content-Disposition parameter: no quote, backslash or line break.
std::string quoted_safe(std::string_view name) {
  std::string out;
  for (char c : name) out += (c == '"' || c == '\\' || c == '\r' || c == '\n') ? '_' : c;
  return out;
}

}  // namespace

Multipart multipart_form(const std::vector<std::pair<std::string, std::string>>& fields,
                         std::string_view file_field, std::string_view filename,
                         std::string_view content_type, std::string_view bytes) {
  const std::string boundary = "gongdan-" + crypto::random_token(16);
  Multipart m;
  m.content_type = "multipart/form-data; boundary=" + boundary;
  for (const auto& [name, value] : fields)
    m.body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name +
              "\"\r\n\r\n" + value + "\r\n";
  m.body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" +
            std::string(file_field) + "\"; filename=\"" + quoted_safe(filename) +
            "\"; filelength=" + std::to_string(bytes.size()) + "\r\nContent-Type: " +
            std::string(content_type.empty() ? "application/octet-stream" : content_type) +
            "\r\n\r\n";
  m.body.append(bytes);
  m.body += "\r\n--" + boundary + "--\r\n";
  return m;
}

FileUpload file_upload(const InboundSource& source, std::string_view app_secret,
                       std::string_view external_id, const ReplyFile& file) {
  FileUpload u;
  const std::size_t size = file.bytes.size();
  const std::string api = provider_api(source);
  switch (source.kind) {
    case InboundKind::kTelegram: {
      if (app_secret.empty()) return {std::nullopt, false, false, "the source has no bot token"};
      u.as_image = jpeg_or_png(file.content_type) && size <= 10 * kMiB;
      if (!u.as_image && size > 50 * kMiB)
        return {std::nullopt, false, false, too_large("Telegram", 50 * kMiB)};
      const auto form =
          multipart_form({{"chat_id", std::string(external_id)}}, u.as_image ? "photo" : "document",
                         file.filename, file.content_type, file.bytes);
      u.call = multipart_post(
          source, std::nullopt,
          api + "/bot" + std::string(app_secret) + (u.as_image ? "/sendPhoto" : "/sendDocument"),
          form);
      u.sends = true;
      return u;
    }
    case InboundKind::kWecom: {
      auto token = token_request(source, app_secret);
      if (!token) return {std::nullopt, false, false, "the source has no CorpID and Secret"};
      u.as_image = jpeg_or_png(file.content_type) && size <= 2 * kMiB;
      if (!u.as_image && size > 20 * kMiB)
        return {std::nullopt, false, false, too_large("WeCom", 20 * kMiB)};
      const auto form = multipart_form({}, "media", file.filename, file.content_type, file.bytes);
      u.call =
          multipart_post(source, std::move(token),
                         api + "/cgi-bin/media/upload?access_token=" + std::string(kTokenSlot) +
                             (u.as_image ? "&type=image" : "&type=file"),
                         form);
      return u;
    }
    case InboundKind::kFeishu: {
      auto token = token_request(source, app_secret);
      if (!token) return {std::nullopt, false, false, "the source has no App ID and Secret"};
      u.as_image = file.content_type.starts_with("image/") && size <= 10 * kMiB;
      if (!u.as_image && size > 30 * kMiB)
        return {std::nullopt, false, false, too_large("Feishu", 30 * kMiB)};
      const auto form = u.as_image
                            ? multipart_form({{"image_type", "message"}}, "image", file.filename,
                                             file.content_type, file.bytes)
                            : multipart_form({{"file_type", feishu_file_type(file.filename)},
                                              {"file_name", file.filename}},
                                             "file", file.filename, file.content_type, file.bytes);
      u.call = multipart_post(
          source, std::move(token),
          api + (u.as_image ? "/open-apis/im/v1/images" : "/open-apis/im/v1/files"), form);
      u.call->headers.emplace_back("Authorization", "Bearer " + std::string(kTokenSlot));
      return u;
    }
    case InboundKind::kDingtalk: {
      auto token = token_request(source, app_secret);
      if (!token) return {std::nullopt, false, false, "the source has no AppKey and AppSecret"};
      if (size > 20 * kMiB) return {std::nullopt, false, false, too_large("DingTalk", 20 * kMiB)};
      // The media API lives on DingTalk's older host; a source's api_base serves both.
      const std::string host = source.api_base.empty() ? "https://oapi.dingtalk.com" : api;
      const auto form = multipart_form({}, "media", file.filename, file.content_type, file.bytes);
      u.call = multipart_post(
          source, std::move(token),
          host + "/media/upload?access_token=" + std::string(kTokenSlot) + "&type=file", form);
      return u;
    }
    case InboundKind::kGeneric:
    case InboundKind::kCti:
      break;
  }
  return {std::nullopt, false, false, "this kind of source takes no files"};
}

std::optional<ImDelivery> file_message(const InboundSource& source, std::string_view app_secret,
                                       std::string_view external_id, std::string_view key,
                                       const ReplyFile& file, bool as_image, std::string_view id) {
  auto token = token_request(source, app_secret);
  if (!token || key.empty()) return std::nullopt;
  const std::string api = provider_api(source);
  if (source.kind == InboundKind::kWecom) {
    const auto slash = external_id.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    const char* type = as_image ? "image" : "file";
    return json_post(source, std::move(*token),
                     api + "/cgi-bin/kf/send_msg?access_token=" + std::string(kTokenSlot),
                     {{"touser", external_id.substr(slash + 1)},
                      {"open_kfid", external_id.substr(0, slash)},
                      {"msgid", id},
                      {"msgtype", type},
                      {type, {{"media_id", key}}}});
  }
  if (source.kind == InboundKind::kFeishu) {
    const json::object content =
        as_image ? json::object{{"image_key", key}} : json::object{{"file_key", key}};
    auto d = json_post(source, std::move(*token),
                       api + "/open-apis/im/v1/messages?receive_id_type=open_id",
                       {{"receive_id", external_id},
                        {"msg_type", as_image ? "image" : "file"},
                        {"content", json::serialize(content)},
                        {"uuid", id}});
    d.headers.emplace_back("Authorization", "Bearer " + std::string(kTokenSlot));
    return d;
  }
  if (source.kind == InboundKind::kDingtalk) {
    const std::string ext = extension_of(file.filename);
    auto d = json_post(
        source, std::move(*token), api + "/v1.0/robot/oToMessages/batchSend",
        {{"robotCode", source.app_id},
         {"userIds", json::array{json::string(external_id)}},
         {"msgKey", "sampleFile"},
         {"msgParam", json::serialize(json::object{{"mediaId", key},
                                                   {"fileName", file.filename},
                                                   {"fileType", ext.empty() ? "file" : ext}})}});
    d.headers.emplace_back("x-acs-dingtalk-access-token", std::string(kTokenSlot));
    return d;
  }
  return std::nullopt;
}

}  // namespace gongdan::services
