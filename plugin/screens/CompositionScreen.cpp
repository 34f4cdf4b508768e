#include "screens/CompositionScreen.h"
#include "CrmHost/Exceptions.h"
#include "Rights.h"
#include "content/Variables.h"
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <algorithm>
#include <cstdlib>

using CrmHost::Request;
using CrmHost::RequestError;
using CrmHost::Response;

namespace MassMailing
{
namespace
{
long idParam(const Request& request, const std::string& name, const std::string& field)
{
    Poco::Int64 id = 0;
    if (!Poco::NumberParser::tryParse64(request.param(name), id))
        throw FieldException(field, "choose_one", "choose one in the list first");
    return long(id);
}

// Where a stage's field has its place on the page; "" is the top of the page.
std::string placeOf(const std::string& field)
{
    for (const char* known :
         {"subject", "html", "file", "reuse", "template", "template_name", "forced_locale"})
        if (field == known)
            return field;
    if (field.rfind("versions[", 0) == 0 && field.find("].") != std::string::npos)
        return field;
    return "";
}

// The languages a version can be written in, from the screen; the API takes any two letters.
const char* const LANGUAGES[] = {"fr", "en", "de", "es", "it", "nl", "pt", "ar"};
const std::size_t MAX_FORM_VERSIONS = 21; // one more than Campaigns allows, to be refused there

bool isShownImage(const std::string& type)
{
    return type == "image/png" || type == "image/jpeg" || type == "image/gif" || type == "image/webp";
}
} // namespace

CompositionScreen::CompositionScreen(Wizard& wizard, Campaigns& campaigns, Deliveries& deliveries,
                                     Attachments& attachments, Templates& templates,
                                     PreviousMessages& previous, MessageSize& size)
    : _wizard(wizard), _campaigns(campaigns), _deliveries(deliveries), _attachments(attachments),
      _templates(templates), _previous(previous), _size(size)
{
}

std::string CompositionScreen::filesUrl(const Request& request, long campaignId)
{
    return Wizard::campaignBase(request, campaignId) + "files/";
}

Response CompositionScreen::show(const Request& request)
{
    Campaign campaign = _wizard.campaignOf(request);
    // Quill has no tables: a body laid out with them opens as HTML, unless asked otherwise.
    std::string mode = request.param("mode");
    if (mode != "html" && mode != "editor")
        mode = campaign.html.find("<table") != std::string::npos ? "html" : "editor";
    std::string done = request.param("done");
    std::string notice;
    if (!done.empty())
    {
        std::string key = "massmailing.composition.done." + done;
        notice = _wizard.text(key, request);
        if (notice == key)
            notice.clear();
    }
    return render(request, campaign, mode, notice, Problem(), false);
}

Response CompositionScreen::submit(const Request& request)
{
    Campaign campaign = _wizard.campaignOf(request);
    std::string action = !request.param("remove").empty()           ? "remove"
                         : !request.param("remove_version").empty() ? "remove_version"
                                                                    : request.param("action", "save");
    std::string mode = request.param("mode") == "html" ? "html" : "editor";
    if (action == "mode_html" || action == "mode_editor")
        mode = action.substr(5);

    Campaign typed = campaign;
    typed.subject = request.param("subject");
    typed.html = request.param("html");
    if (campaign.channel == "sms")
        typed.text = request.param("text");
    if (request.params.count("versions"))
        typed.versions = versionsFrom(request, campaign);
    for (std::size_t i = 0; i < typed.versions.size(); ++i) // shown as typed, like the main body
        typed.versions[i].html = request.param("version_" + std::to_string(i) + "_html");
    typed.forcedLocale = request.param("forced_locale", campaign.forcedLocale);
    try
    {
        act(request, action, campaign);
    }
    catch (const FieldException& error)
    {
        Problem problem{placeOf(error.field()), _wizard.errorText(error, request)};
        Response response = render(request, typed, mode, "", problem, true);
        response.status = 422;
        return response;
    }
    catch (const RequestError& error)
    {
        Response response = render(request, typed, mode, "", Problem{error.field(), error.message()}, true);
        response.status = error.status();
        return response;
    }
    catch (const StateException&)
    {
        Response response = render(request, typed, mode, "",
                                   Problem{"", _wizard.text("massmailing.error.not_draft", request)}, true);
        response.status = 409;
        return response;
    }

    std::string next = Wizard::campaignBase(request, campaign.id);
    if (action == "preview")
        return Response::redirect(next + "preview");
    if (action == "details")
        return Response::redirect(next + "details");
    return Response::redirect(next + "composition?mode=" + mode + "&done=" + action);
}

void CompositionScreen::act(const Request& request, const std::string& action, Campaign& campaign)
{
    const std::string url = filesUrl(request, campaign.id);
    auto mayCompose = [&request](long groupId) { return request.hasRight(Rights::COMPOSE, groupId); };
    // Images and files are written before the content's transaction (they are not part of
    // it): nothing of them is stored for a campaign that may no longer change.
    _deliveries.requireEditable(campaign.id);
    if (campaign.channel == "sms")
    {
        // An SMS is its text alone (issue 15): no subject, HTML, files nor versions' bodies here.
        campaign.text = request.param("text");
        _deliveries.edit(campaign.id,
                         [&](Poco::Data::Session& session) { _campaigns.update(campaign, session); });
        return;
    }

    // What was typed, with the editor's image addresses turned back into cid: references
    // and pasted data: images into inline images. An action may replace it, then it is saved.
    campaign.subject = request.param("subject");
    campaign.html = _attachments.adoptDataImages(
        campaign.id, _attachments.withContentIds(request.param("html"), campaign.id, url));
    // The language versions (C11), when the form has them (a form of before has none).
    if (request.params.count("versions"))
        campaign.versions = versionsFrom(request, campaign);
    campaign.forcedLocale = request.param("forced_locale", campaign.forcedLocale);
    if (action == "use_template")
    {
        auto chosen = _templates.find(campaign.groupId, idParam(request, "template", "template"));
        if (!chosen)
            throw FieldException("template", "choose_one", "this template does not exist in the group");
        if (!chosen->subject.empty())
            campaign.subject = chosen->subject;
        campaign.html = _attachments.adoptDataImages(campaign.id, chosen->html);
    }
    else if (action == "blank")
        campaign.html.clear();
    else if (action == "reuse")
        _previous.reuse(idParam(request, "previous", "reuse"), campaign, mayCompose);
    if (action == "add_version")
        // A copy of the main version, to translate in place.
        campaign.versions.push_back(
            CampaignVersion{request.param("new_version_locale"), campaign.subject, campaign.html, ""});
    else if (action == "remove_version")
    {
        Poco::UInt64 index = 0;
        if (Poco::NumberParser::tryParseUnsigned64(request.param("remove_version"), index) &&
            index < campaign.versions.size())
        {
            std::string removed = campaign.versions[index].locale;
            campaign.versions.erase(campaign.versions.begin() + long(index));
            if (campaign.forcedLocale == removed && removed != "fr" && removed != "en")
                campaign.forcedLocale.clear(); // what was forced is gone
        }
    }
    _deliveries.edit(campaign.id,
                     [&](Poco::Data::Session& session) { _campaigns.update(campaign, session); });

    if (action == "upload")
    {
        bool any = false;
        for (const auto& upload : request.files)
        {
            if (upload.field != "file")
                continue;
            any = true;
            try
            {
                _attachments.add(campaign.id, upload.filename, upload.contentType, upload.bytes,
                                 request.param("inline") == "1");
            }
            catch (const FieldException& error)
            {
                if (error.code() != "file_too_large")
                    throw;
                throw RequestError(
                    413, error.code(),
                    _wizard.text("massmailing.error.file_too_large", request,
                                 {{"file", upload.filename},
                                  {"size", MessageTooLargeException::megabytes(upload.bytes.size())},
                                  {"limit", MessageTooLargeException::megabytes(Attachments::FILE_LIMIT)}}),
                    "file");
            }
        }
        if (!any)
            throw FieldException("file", "no_file", "choose a file to upload");
    }
    else if (action == "remove")
        _attachments.remove(campaign.id, idParam(request, "remove", "file"));
    else if (action == "save_template")
    {
        MessageTemplate saved;
        saved.groupId = campaign.groupId;
        saved.name = request.param("template_name");
        saved.subject = campaign.subject;
        // A template carries its images inside: it needs no campaign's files.
        saved.html = _attachments.withImageData(campaign.html, campaign.id);
        _templates.save(saved);
    }
}

std::vector<CampaignVersion> CompositionScreen::versionsFrom(const Request& request, const Campaign& stored)
{
    const std::string url = filesUrl(request, stored.id);
    Poco::UInt64 count = 0;
    Poco::NumberParser::tryParseUnsigned64(request.param("versions"), count);
    std::vector<CampaignVersion> versions;
    for (std::size_t i = 0; i < std::min<std::size_t>(count, MAX_FORM_VERSIONS); ++i)
    {
        std::string prefix = "version_" + std::to_string(i) + "_";
        CampaignVersion version{
            request.param(prefix + "locale"), request.param(prefix + "subject"),
            _attachments.adoptDataImages(
                stored.id, _attachments.withContentIds(request.param(prefix + "html"), stored.id, url)),
            ""};
        for (const auto& old : stored.versions)
            if (old.locale == version.locale)
                version.text = old.text; // the screen has no field for it: the API's stays
        versions.push_back(version);
    }
    return versions;
}

mstch::array CompositionScreen::versionsContext(const Request& request, const Campaign& campaign,
                                                const Problem& problem, bool typed)
{
    const std::string url = filesUrl(request, campaign.id);
    mstch::array versions;
    for (std::size_t i = 0; i < campaign.versions.size(); ++i)
    {
        const CampaignVersion& v = campaign.versions[i];
        std::string n = std::to_string(i);
        mstch::array languages;
        bool known = false;
        for (const char* code : LANGUAGES)
        {
            known = known || v.locale == code;
            languages.push_back(
                mstch::map{{"code", std::string(code)},
                           {"name", _wizard.text(std::string("massmailing.language.") + code, request)},
                           {"selected", v.locale == code}});
        }
        if (!known) // a locale set through the API, or typed wrong
            languages.push_back(mstch::map{{"code", v.locale}, {"name", v.locale}, {"selected", true}});
        mstch::map version{{"n", n},
                           {"number", std::to_string(i + 1)},
                           {"locale", v.locale},
                           {"languages", languages},
                           {"subject", v.subject},
                           {"html", typed ? v.html : _attachments.withImageUrls(v.html, campaign.id, url)}};
        std::string field = "versions[" + n + "].";
        for (const char* part : {"locale", "subject", "html"})
            if (problem.field == field + part)
                version[std::string("error_") + part] = problem.text;
        versions.push_back(version);
    }
    return versions;
}

mstch::array CompositionScreen::forcedChoices(const Request& request, const Campaign& campaign)
{
    mstch::array choices{mstch::map{{"code", std::string()},
                                    {"label", _wizard.text("massmailing.composition.forceNone", request)},
                                    {"selected", campaign.forcedLocale.empty()}}};
    std::vector<std::string> codes{"fr", "en"};
    for (const auto& v : campaign.versions)
        if (std::find(codes.begin(), codes.end(), v.locale) == codes.end())
            codes.push_back(v.locale);
    for (const auto& code : codes)
    {
        bool hasVersion = std::any_of(campaign.versions.begin(), campaign.versions.end(),
                                      [&code](const CampaignVersion& v) { return v.locale == code; });
        std::string language = _wizard.text("massmailing.language." + code, request);
        if (language == "massmailing.language." + code)
            language = code;
        choices.push_back(
            mstch::map{{"code", code},
                       {"label", _wizard.text(hasVersion ? "massmailing.composition.forceVersion"
                                                         : "massmailing.composition.forceMain",
                                              request, {{"language", language}})},
                       {"selected", campaign.forcedLocale == code}});
    }
    return choices;
}

Response CompositionScreen::render(const Request& request, const Campaign& campaign, const std::string& mode,
                                   const std::string& notice, const Problem& problem, bool typed)
{
    const std::string url = filesUrl(request, campaign.id);
    std::string kind = _campaigns.groupKind(campaign.groupId);
    mstch::map context{
        {"action", Wizard::campaignBase(request, campaign.id) + "composition"},
        {"subject", campaign.subject},
        {"subjectPrefix", campaign.subjectPrefix},
        {"html", typed ? campaign.html : _attachments.withImageUrls(campaign.html, campaign.id, url)},
        {"mode", mode},
        {"modeHtml", mode == "html"},
        {"modeEditor", mode != "html"},
        {"notice", notice},
        {"isDraft", campaign.status == "draft"},
        {"templateName", typed ? request.param("template_name") : std::string()},
        // SMS (issue 15): the text and its counter (plugin/web/sms.js, the rule of content/SmsText).
        {"sms", campaign.channel == "sms"},
        {"smsText", campaign.text}};
    bool ofVersion = problem.field.rfind("versions[", 0) == 0;
    // A version's field is shown next to it; a version not on the page (being added), on top.
    if (ofVersion && std::strtoul(problem.field.c_str() + 9, nullptr, 10) >= campaign.versions.size())
        context["error"] = problem.text;
    else if (!problem.text.empty() && !ofVersion)
        context[problem.field.empty() ? std::string("error") : "error_" + problem.field] = problem.text;
    context["versions"] = versionsContext(request, campaign, problem, typed);
    context["versionCount"] = std::to_string(campaign.versions.size());
    context["hasVersions"] = !campaign.versions.empty();
    context["forcedChoices"] = forcedChoices(request, campaign);
    mstch::array languages;
    for (const char* code : LANGUAGES)
        if (std::none_of(campaign.versions.begin(), campaign.versions.end(),
                         [code](const CampaignVersion& v) { return v.locale == code; }))
            languages.push_back(
                mstch::map{{"code", std::string(code)},
                           {"name", _wizard.text(std::string("massmailing.language.") + code, request)}});
    context["newLanguages"] = languages;

    mstch::array variables;
    for (const auto& variable : Variables::available(campaign.recipientType, kind))
        variables.push_back(mstch::map{{"name", variable.name},
                                       {"label", _wizard.text(variable.label, request)},
                                       {"tag", "{{" + variable.name + "}}"}});
    context["variables"] = variables;

    mstch::array templates;
    for (const auto& t : _templates.ofGroup(campaign.groupId))
        templates.push_back(mstch::map{{"id", std::to_string(t.id)}, {"name", t.name}});
    context["templates"] = templates;
    context["hasTemplates"] = !templates.empty();

    mstch::array previous;
    auto mayCompose = [&request](long groupId) { return request.hasRight(Rights::COMPOSE, groupId); };
    for (const auto& p : _previous.choices(campaign.id, mayCompose))
        previous.push_back(
            mstch::map{{"id", std::to_string(p.id)},
                       {"label", p.groupName + " · " + p.name + (p.subject.empty() ? "" : " · " + p.subject) +
                                     " (" + _wizard.statusText(p.status, request) + ", " +
                                     Wizard::dateText(p.createdAt, request.locale) + ")"},
                       {"otherGroup", p.groupId != campaign.groupId}});
    context["previous"] = previous;
    context["hasPrevious"] = !previous.empty();

    mstch::array files;
    std::size_t total = 0;
    for (const auto& a : _attachments.of(campaign.id))
    {
        total += a.size;
        files.push_back(mstch::map{{"id", std::to_string(a.id)},
                                   {"filename", a.filename},
                                   {"contentType", a.contentType},
                                   {"size", _wizard.bytesText(a.size, request)},
                                   {"inline", a.isInline()},
                                   {"url", url + std::to_string(a.id)}});
    }
    context["files"] = files;
    context["hasFiles"] = !files.empty();
    context["filesTotal"] = _wizard.bytesText(total, request);

    // The size of the message as stored (what a test send would write).
    try
    {
        auto stored = _campaigns.find(campaign.id);
        std::size_t bytes = _size.of(stored ? *stored : campaign);
        if (bytes > MessageSize::limit())
            context["sizeError"] =
                _wizard.sizeText(MessageTooLargeException(bytes, MessageSize::limit()), request);
        else
            context["sizeText"] =
                _wizard.text("massmailing.size.ok", request,
                             {{"size", _wizard.bytesText(bytes, request)},
                              {"limit", MessageTooLargeException::megabytes(MessageSize::limit())}});
    }
    catch (const Poco::SyntaxException& error)
    {
        context["error_html"] =
            _wizard.text("massmailing.error.template_syntax", request, {{"detail", error.message()}});
    }
    catch (const Poco::Exception& error)
    {
        context["sizeError"] = error.message();
    }
    return _wizard.page(request, "composition", context,
                        _wizard.text("massmailing.composition.title", request, {{"name", campaign.name}}), 2,
                        &campaign);
}

Response CompositionScreen::file(const Request& request)
{
    Campaign campaign = _wizard.campaignOf(request, Rights::ANY); // images of the preview and send pages
    Poco::Int64 id = 0;
    std::optional<Attachment> found;
    if (Poco::NumberParser::tryParse64(request.param("file"), id))
        found = _attachments.find(campaign.id, long(id));
    if (!found)
        throw RequestError(404, "not_found", _wizard.text("massmailing.error.noFile", request));
    Response response;
    response.standalone = true;
    // Only the image types mail clients show are shown; anything else (SVG, HTML) is a download.
    response.contentType = isShownImage(found->contentType) ? found->contentType : "application/octet-stream";
    response.body = _attachments.bytes(*found);
    return response;
}

Routes CompositionScreen::routes()
{
    using CrmHost::ScreenKind;
    return {
        {ScreenKind::Page, "GET", "campaigns/{id}/composition", "", Rights::ANY,
         on(this, &CompositionScreen::show)},
        {ScreenKind::Page, "POST", "campaigns/{id}/composition", "", Rights::ANY,
         on(this, &CompositionScreen::submit)},
        {ScreenKind::Page, "GET", "campaigns/{id}/files/{file}", "", Rights::ANY,
         on(this, &CompositionScreen::file)},
    };
}
} // namespace MassMailing
