#include "RequestBody.h"
#include "CrmHost/Exceptions.h"
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/SocketAddress.h>
#include <cppunit/extensions/HelperMacros.h>
#include <sstream>

using CrmHost::RequestBody;

namespace
{
/// A request as the server hands it over: headers, and the body's stream already unframed.
class FakeRequest : public Poco::Net::HTTPServerRequest
{
public:
    explicit FakeRequest(const std::string& body) : _body(body) { setMethod("POST"); }

    std::istream& stream() override { return _body; }
    const Poco::Net::SocketAddress& clientAddress() const override { return _address; }
    const Poco::Net::SocketAddress& serverAddress() const override { return _address; }
    const Poco::Net::HTTPServerParams& serverParams() const override { return *_params; }
    Poco::Net::HTTPServerResponse& response() const override { throw Poco::NotImplementedException(); }
    bool secure() const override { return false; }

private:
    std::istringstream _body;
    Poco::Net::SocketAddress _address;
    Poco::Net::HTTPServerParams::Ptr _params = new Poco::Net::HTTPServerParams;
};

int statusOf(const std::function<void()>& action)
{
    try
    {
        action();
    }
    catch (const CrmHost::RequestError& error)
    {
        return error.status();
    }
    return 0;
}
} // namespace

// The one reader of request bodies caps what it reads whatever the framing (finding 9).
class RequestBodyTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RequestBodyTest);
    CPPUNIT_TEST(testChunkedBodyOfExactlyTheLimitIsReadWhole);
    CPPUNIT_TEST(testChunkedBodyOneByteOverTheLimitIsRefusedWith413);
    CPPUNIT_TEST(testDeclaredLengthOverTheLimitIsRefusedBeforeReading);
    CPPUNIT_TEST(testRequestWithoutLengthOrChunksHasAnEmptyBody);
    CPPUNIT_TEST_SUITE_END();

public:
    void testChunkedBodyOfExactlyTheLimitIsReadWhole()
    {
        FakeRequest request(std::string(100000, 'x'));
        request.setChunkedTransferEncoding(true);
        CPPUNIT_ASSERT_EQUAL(std::size_t(100000), RequestBody(request, 100000).readAll().size());
    }

    void testChunkedBodyOneByteOverTheLimitIsRefusedWith413()
    {
        FakeRequest request(std::string(100001, 'x'));
        request.setChunkedTransferEncoding(true);
        RequestBody body(request, 100000);
        CPPUNIT_ASSERT_EQUAL(413, statusOf([&]() { body.readAll(); }));
        CPPUNIT_ASSERT(body.exceeded());
        // What the form parsers see: the stream ends at the cap.
        FakeRequest again(std::string(300000, 'x'));
        again.setChunkedTransferEncoding(true);
        RequestBody capped(again, 100000);
        std::string read((std::istreambuf_iterator<char>(capped)), std::istreambuf_iterator<char>());
        CPPUNIT_ASSERT(read.size() <= 100000);
        CPPUNIT_ASSERT_EQUAL(413, statusOf([&]() { capped.check(); }));
    }

    void testDeclaredLengthOverTheLimitIsRefusedBeforeReading()
    {
        FakeRequest request("small");
        request.setContentLength64(Poco::Int64(RequestBody::LIMIT) + 1);
        try
        {
            RequestBody body(request);
            CPPUNIT_FAIL("a declared 64 MB + 1 body was accepted");
        }
        catch (const CrmHost::RequestError& error)
        {
            CPPUNIT_ASSERT_EQUAL(413, error.status());
            CPPUNIT_ASSERT_MESSAGE(error.message(), error.message().find("64 MB") != std::string::npos);
        }
    }

    void testRequestWithoutLengthOrChunksHasAnEmptyBody()
    {
        FakeRequest request("would wait for the client to close");
        CPPUNIT_ASSERT_EQUAL(std::string(), RequestBody(request).readAll());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RequestBodyTest);
