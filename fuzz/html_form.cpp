// Fuzz target: the host's reading of a request (host-sdk/src/WebRequestHandler.cpp): the
// query string (Poco::URI), the cookies, the Accept-Language header (Catalogue::negotiate) and
// the form of a page request, url-encoded or multipart (Poco::Net::HTMLForm with the host's
// field limit and file collector), and of a public request (HTMLForm without files).
//
// Input lines: the Content-Type, the request URI, the Cookie header, the Accept-Language
// header, then the body. HTMLForm refuses a malformed form with a Poco::Exception (the host
// answers 400 or 500 and lives on); the file collector refuses a file over the limit with
// RequestError. Anything else, or a sanitiser finding, fails the target.
#include "Catalogue.h"
#include "CrmHost/Exceptions.h"
#include "FuzzInput.h"
#include <Poco/Exception.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/URI.h>
#include <sstream>

namespace
{
// The host's limits (WebRequestHandler.cpp), smaller for files so that the fuzzer reaches them.
const std::size_t MAX_FILE = 4096;
const int MAX_FIELD = 16 * 1024 * 1024;

// As the host's UploadCollector: the files of a multipart form, each up to a limit.
class UploadCollector : public Poco::Net::PartHandler
{
public:
    void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override
    {
        std::string disposition;
        Poco::Net::NameValueCollection parameters;
        Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""), disposition,
                                                  parameters);
        std::string name = parameters.get("name", ""), filename = parameters.get("filename", "");
        std::string type = header.get("Content-Type", "application/octet-stream");
        std::string bytes;
        char buffer[1024];
        while (stream.read(buffer, sizeof buffer) || stream.gcount() > 0)
        {
            bytes.append(buffer, std::size_t(stream.gcount()));
            if (bytes.size() > MAX_FILE)
                throw CrmHost::RequestError(413, "too_large", "The file " + filename + " is too large.");
        }
        if (!filename.empty() || !bytes.empty())
            ++files;
    }
    std::size_t files = 0;
};

void request(Poco::Net::HTTPRequest& http, const std::vector<std::string>& fields)
{
    http.setMethod("POST");
    http.setURI(fields[1]);
    http.setContentType(fields[0]);
    http.set("Cookie", fields[2]);
    http.setContentLength64(Poco::Int64(fields[4].size()));
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    auto fields = MassMailingFuzz::fieldsOf(data, size, 5);
    const std::string& body = fields[4];

    try
    {
        Poco::URI uri(fields[1]);
        uri.getPath();
        uri.getQueryParameters();
        uri.getPathEtc();
    }
    catch (const Poco::SyntaxException&)
    {
        // Poco's server has refused such a request line before the host sees it.
    }
    CrmHost::Catalogue::negotiate(fields[3]);

    Poco::Net::HTTPRequest http;
    try
    {
        request(http, fields);
    }
    catch (const Poco::Exception&)
    {
        return 0; // a URI Poco's server would not have taken
    }
    Poco::Net::NameValueCollection cookies;
    http.getCookies(cookies);
    cookies.get("crmhost_session", "");

    // A page: fields up to MAX_FIELD, files to the collector.
    try
    {
        std::istringstream in(body);
        Poco::Net::HTMLForm form;
        form.setValueLengthLimit(MAX_FIELD);
        UploadCollector uploads;
        form.load(http, in, uploads);
        for (const auto& [name, value] : form)
            (void)name, (void)value;
    }
    catch (const CrmHost::RequestError&)
    {
    }
    catch (const Poco::Exception&)
    {
    }

    // A public page: HTMLForm(request, body), files dropped.
    try
    {
        std::istringstream in(body);
        Poco::Net::HTMLForm form(http, in);
        form.get("t", "");
    }
    catch (const Poco::Exception&)
    {
    }
    return 0;
}
