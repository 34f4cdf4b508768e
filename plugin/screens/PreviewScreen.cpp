#include "screens/PreviewScreen.h"
#include "Rights.h"
#include "audience/EmailAddress.h"
#include "delivery/TransportException.h"
#include <Poco/NumberParser.h>
#include <Poco/StringTokenizer.h>

using CrmHost::Request;
using CrmHost::Response;

namespace MassMailing
{
namespace
{
std::string nameOf(const Recipient& r)
{
    std::string name = r.firstName + (r.firstName.empty() || r.lastName.empty() ? "" : " ") + r.lastName;
    return name.empty() ? r.company : name;
}

std::string idOf(const Recipient& r)
{
    return r.kind + ":" + std::to_string(r.id);
}

// The addresses of the "to" box (separated by commas, semicolons, spaces or lines) and of the
// ticked entries of the test list.
std::vector<std::string> addressesOf(const Request& request)
{
    std::vector<std::string> to;
    Poco::StringTokenizer words(request.param("to"), ",; \t\r\n",
                                Poco::StringTokenizer::TOK_IGNORE_EMPTY | Poco::StringTokenizer::TOK_TRIM);
    to.assign(words.begin(), words.end());
    for (const auto& [name, value] : request.params)
        if (name.compare(0, 10, "test_list_") == 0 && !value.empty())
            to.push_back(value);
    return to;
}
} // namespace

PreviewScreen::PreviewScreen(Wizard& wizard, RecipientDirectory& directory, TestList& testList,
                             Attachments& attachments, MessageSize& size, TestSend& testSend,
                             std::function<std::string()> transportName)
    : _wizard(wizard), _directory(directory), _testList(testList), _attachments(attachments), _size(size),
      _testSend(testSend), _transportName(std::move(transportName))
{
}

Response PreviewScreen::show(const Request& request)
{
    return render(request, _wizard.campaignOf(request), Outcome());
}

Response PreviewScreen::test(const Request& request)
{
    Campaign campaign = _wizard.campaignOf(request);
    Outcome outcome;
    try
    {
        TestSendResult result = _testSend.send(campaign, addressesOf(request), request.param("recipient"));
        std::string to;
        for (const auto& address : result.sentTo)
            to += (to.empty() ? "" : ", ") + address;
        std::string transport = _transportName();
        outcome.notice = _wizard.text(
            transport == "outbox" ? "massmailing.test.sentOutbox" : "massmailing.test.sent", request,
            {{"to", to},
             {"name", nameOf(result.sample)},
             {"size", _wizard.bytesText(result.bytes, request)},
             {"transport", transport}});
    }
    catch (const FieldException& error)
    {
        (error.field() == "to" ? outcome.toError : outcome.error) = _wizard.errorText(error, request);
        outcome.status = 422;
    }
    catch (const VariablesException&)
    {
        outcome.error = _wizard.text("massmailing.test.variables", request);
        outcome.status = 422;
    }
    catch (const MessageTooLargeException& error)
    {
        outcome.error = _wizard.sizeText(error, request);
        outcome.status = 413;
    }
    catch (const TransportException& error)
    {
        outcome.error =
            _wizard.text("massmailing.test.transportFailed", request, {{"detail", error.message()}});
        outcome.status = 502;
    }
    return render(request, campaign, outcome);
}

Response PreviewScreen::render(const Request& request, const Campaign& campaign, const Outcome& outcome)
{
    mstch::map context{{"testAction", Wizard::campaignBase(request, campaign.id) + "test"},
                       {"previewAction", Wizard::campaignBase(request, campaign.id) + "preview"},
                       {"compositionHref", Wizard::campaignBase(request, campaign.id) + "composition"},
                       {"outboxHref", Wizard::base(request) + "outbox"},
                       {"showOutbox", _transportName() == "outbox"},
                       {"notice", outcome.notice},
                       {"error", outcome.error},
                       {"error_to", outcome.toError},
                       {"to", request.param("to")}};

    // The sample: the chosen recipient, or the first one with an address and a first name.
    std::optional<Recipient> sample;
    try
    {
        sample = _testSend.sample(campaign, request.param("recipient"));
    }
    catch (const FieldException& error)
    {
        context["error_recipient"] = _wizard.errorText(error, request);
    }

    // The recipients, a page of PAGE at a time, by name.
    const std::size_t PAGE = 200;
    Poco::Int64 from = 0;
    if (!Poco::NumberParser::tryParse64(request.param("from"), from) || from < 0)
        from = 0;
    auto page = _directory.list(campaign.groupId, campaign.recipientType, PAGE, std::size_t(from));
    std::string pageHref = Wizard::campaignBase(request, campaign.id) + "preview?from=";
    if (from > 0)
        context["previousPage"] = pageHref + std::to_string(from > Poco::Int64(PAGE) ? from - PAGE : 0);
    if (page.size() == PAGE)
        context["nextPage"] = pageHref + std::to_string(from + PAGE);
    context["from"] = std::to_string(from);
    context["pageText"] = _wizard.text(
        "massmailing.preview.page", request,
        {{"first", std::to_string(from + 1)}, {"last", std::to_string(from + Poco::Int64(page.size()))}});

    mstch::array recipients;
    bool listed = false;
    for (const auto& r : page)
    {
        bool selected = sample && idOf(*sample) == idOf(r);
        listed = listed || selected;
        recipients.push_back(mstch::map{
            {"value", idOf(r)},
            {"label",
             nameOf(r) + " · " +
                 (r.email.empty() ? _wizard.text("massmailing.preview.noAddress", request) : r.email)},
            {"selected", selected}});
    }
    if (sample && !listed)
        recipients.insert(recipients.begin(), mstch::map{{"value", idOf(*sample)},
                                                         {"label", nameOf(*sample) + " · " + sample->email},
                                                         {"selected", true}});
    context["recipients"] = recipients;

    if (sample)
    {
        context["recipient"] = idOf(*sample);
        context["sampleName"] = nameOf(*sample);
        context["sampleEmail"] = sample->email;
        try
        {
            MailMessage message = _testSend.preview(campaign, *sample);
            context["preview"] = mstch::map{
                {"subject", message.subject},
                {"replyTo", message.replyTo.address},
                {"html", _attachments.withImageData(message.html, campaign.id)},
                {"text", message.text},
                {"from", message.from.name.empty() ? message.from.address
                                                   : message.from.name + " <" + message.from.address + ">"},
                {"to", message.to.empty() ? std::string() : message.to.front().address}};
        }
        catch (const VariablesException& error)
        {
            mstch::array problems;
            for (const auto& problem : error.problems())
                problems.push_back(
                    mstch::map{{"variable", problem.variable},
                               {"text", _wizard.text("massmailing.preview.problem." + problem.reason, request,
                                                     {{"variable", "{{" + problem.variable + "}}"},
                                                      {"count", std::to_string(problem.affected)}})}});
            context["problems"] = problems;
            context["hasProblems"] = true;
        }
        catch (const FieldException& error)
        {
            context["error_message"] = _wizard.errorText(error, request);
        }
        catch (const Poco::SyntaxException& error)
        {
            context["error_message"] =
                _wizard.text("massmailing.error.template_syntax", request, {{"detail", error.message()}});
        }
    }

    try
    {
        std::size_t bytes = _size.of(campaign);
        if (bytes > MessageSize::limit())
            context["sizeError"] =
                _wizard.sizeText(MessageTooLargeException(bytes, MessageSize::limit()), request);
        else
            context["sizeText"] =
                _wizard.text("massmailing.size.ok", request,
                             {{"size", _wizard.bytesText(bytes, request)},
                              {"limit", MessageTooLargeException::megabytes(MessageSize::limit())}});
    }
    catch (const Poco::Exception&)
    {
        // A malformed template is reported with the preview above.
    }

    mstch::array testList;
    int n = 0;
    for (const auto& entry : _testList.of(campaign.groupId))
    {
        if (!EmailAddress::isValid(EmailAddress::normalize(entry.email)))
            continue;
        std::string field = "test_list_" + std::to_string(n++);
        testList.push_back(mstch::map{{"field", field},
                                      {"email", entry.email},
                                      {"label", entry.label + (entry.name.empty() ? "" : " · " + entry.name)},
                                      {"checked", request.param(field) == entry.email}});
    }
    context["testList"] = testList;
    context["hasTestList"] = !testList.empty();

    Response response = _wizard.page(
        request, "preview", context,
        _wizard.text("massmailing.preview.title", request, {{"name", campaign.name}}), 4, &campaign);
    response.status = outcome.status;
    return response;
}

Routes PreviewScreen::routes()
{
    using CrmHost::ScreenKind;
    return {
        {ScreenKind::Page, "GET", "campaigns/{id}/preview", "", Rights::ANY, on(this, &PreviewScreen::show)},
        {ScreenKind::Page, "POST", "campaigns/{id}/test", "", Rights::ANY, on(this, &PreviewScreen::test)},
    };
}
} // namespace MassMailing
