#include "screens/OutboxScreen.h"
#include "CrmHost/Exceptions.h"
#include "Rights.h"
#include "content/MessageReader.h"
#include "delivery/OutboxTransport.h"
#include <Poco/DateTimeFormatter.h>
#include <Poco/StringTokenizer.h>

using CrmHost::Request;
using CrmHost::RequestError;
using CrmHost::Response;

namespace MassMailing
{
namespace
{
const std::size_t LISTED = 200;       // the newest messages listed
const std::size_t RAW_SHOWN = 200000; // bytes of a message shown as they are
} // namespace

OutboxScreen::OutboxScreen(Wizard& wizard, std::function<std::string()> folder)
    : _wizard(wizard), _folder(std::move(folder))
{
}

bool OutboxScreen::visible(const Request& request, const std::string& folder, const std::string& name) const
{
    if (request.hasRight("host.admin", request.groupId))
        return true;
    try
    {
        // Feedback-ID: campaign:group:sender-domain:massmailing (Composer).
        std::string feedback =
            MessageReader::header(MessageReader::headOf(folder + "/" + name), "Feedback-ID");
        Poco::StringTokenizer fields(feedback, ":", Poco::StringTokenizer::TOK_TRIM);
        return fields.count() >= 2 && fields[1] == std::to_string(request.groupId);
    }
    catch (const Poco::Exception&)
    {
        return false; // gone while listing
    }
}

Response OutboxScreen::list(const Request& request)
{
    OutboxTransport outbox(_folder());
    mstch::array messages;
    for (const auto& entry : outbox.entries(LISTED))
    {
        if (!visible(request, outbox.dir(), entry.name))
            continue;
        messages.push_back(
            mstch::map{{"name", entry.name},
                       {"href", Wizard::base(request) + "outbox/" + entry.name},
                       {"time", Poco::DateTimeFormatter::format(entry.time, "%Y-%m-%d %H:%M:%S")},
                       {"from", entry.from},
                       {"to", entry.to},
                       {"subject", entry.subject},
                       {"size", _wizard.bytesText(entry.size, request)}});
    }
    mstch::map context{{"messages", messages},
                       {"empty", messages.empty()},
                       {"folder", outbox.dir()},
                       {"listed", std::to_string(LISTED)}};
    return _wizard.page(request, "outbox", context, _wizard.text("massmailing.outbox.title", request));
}

Response OutboxScreen::message(const Request& request)
{
    OutboxTransport outbox(_folder());
    std::string name = request.param("name");
    std::string bytes;
    try
    {
        if (!visible(request, outbox.dir(), name))
            throw Poco::FileNotFoundException(name);
        bytes = outbox.read(name);
    }
    catch (const Poco::Exception&)
    {
        // A name that is not a message file (a path, "..") or a message of another group.
        throw RequestError(404, "not_found",
                           _wizard.text("massmailing.outbox.noMessage", request, {{"name", name}}));
    }
    if (request.param("download") == "1")
    {
        Response raw;
        raw.standalone = true;
        raw.contentType = "text/plain; charset=utf-8";
        raw.body = bytes;
        return raw;
    }

    ReadMessage read = MessageReader::read(bytes);
    mstch::array headers;
    for (const auto& header : read.headers)
        headers.push_back(mstch::map{{"name", header.name}, {"value", header.value}});
    mstch::array files;
    for (const auto& file : read.files)
        files.push_back(mstch::map{{"filename", file.filename.empty() ? file.contentId : file.filename},
                                   {"contentType", file.contentType},
                                   {"inline", !file.contentId.empty()},
                                   {"size", _wizard.bytesText(file.bytes.size(), request)}});
    bool cut = bytes.size() > RAW_SHOWN;
    mstch::map context{{"name", name},
                       {"listHref", Wizard::base(request) + "outbox"},
                       {"downloadHref", Wizard::base(request) + "outbox/" + name + "?download=1"},
                       {"subject", read.header("Subject")},
                       {"headers", headers},
                       {"html", read.htmlWithImages()},
                       {"hasHtml", !read.html.empty()},
                       {"text", read.text},
                       {"hasText", !read.text.empty()},
                       {"files", files},
                       {"hasFiles", !files.empty()},
                       {"raw", cut ? bytes.substr(0, RAW_SHOWN) : bytes},
                       {"rawCut", cut},
                       {"size", _wizard.bytesText(bytes.size(), request)}};
    return _wizard.page(
        request, "outbox_message", context,
        _wizard.text("massmailing.outbox.messageTitle", request, {{"subject", read.header("Subject")}}));
}

Routes OutboxScreen::routes()
{
    using CrmHost::ScreenKind;
    return {
        {ScreenKind::Page, "GET", "outbox", "", Rights::COMPOSE, on(this, &OutboxScreen::list)},
        {ScreenKind::Page, "GET", "outbox/{name}", "", Rights::COMPOSE, on(this, &OutboxScreen::message)},
    };
}
} // namespace MassMailing
