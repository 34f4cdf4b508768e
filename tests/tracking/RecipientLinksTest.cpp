#include "tracking/RecipientLinks.h"
#include "tracking/TrackingException.h"
#include <cppunit/extensions/HelperMacros.h>

using MassMailing::InvalidTokenException;
using MassMailing::LinkPurpose;
using MassMailing::LinkSigner;
using MassMailing::LinkToken;
using MassMailing::RecipientLinks;

// The personal links the content stage puts in every message (C7, D10).
class RecipientLinksTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RecipientLinksTest);
    CPPUNIT_TEST(testUnsubscribeUrlLeadsToTheScreenWithASignedToken);
    CPPUNIT_TEST(testViewOnlineUrlCannotUnsubscribe);
    CPPUNIT_TEST(testUnsubscribeUrlFitsAListUnsubscribeHeader);
    CPPUNIT_TEST_SUITE_END();

public:
    void testUnsubscribeUrlLeadsToTheScreenWithASignedToken()
    {
        LinkSigner signer(std::string(32, 's'));
        RecipientLinks links(signer, BASE);
        std::string url = links.unsubscribeUrl(12, 34, 56, "Marie@Example.org");
        const std::string prefix = std::string(BASE) + "unsubscribe/";
        CPPUNIT_ASSERT_EQUAL(prefix, url.substr(0, prefix.size()));
        LinkToken token = signer.verify(url.substr(prefix.size()), LinkPurpose::Unsubscribe);
        CPPUNIT_ASSERT(token == (LinkToken{LinkPurpose::Unsubscribe, 12, 34, 56, "Marie@Example.org"}));

        // A base without its final slash is completed.
        RecipientLinks noSlash(signer, "https://crm.example/p/massmailing");
        CPPUNIT_ASSERT_EQUAL(std::string("https://crm.example/p/massmailing/unsubscribe/"),
                             noSlash.unsubscribeUrl(1, 2, 3, "a@b.c").substr(0, 46));
    }

    void testViewOnlineUrlCannotUnsubscribe()
    {
        LinkSigner signer(std::string(32, 's'));
        RecipientLinks links(signer, BASE);
        std::string url = links.viewOnlineUrl(34, 56, "a@b.c");
        const std::string prefix = std::string(BASE) + "view/";
        CPPUNIT_ASSERT_EQUAL(prefix, url.substr(0, prefix.size()));
        std::string token = url.substr(prefix.size());
        LinkToken view = signer.verify(token, LinkPurpose::ViewOnline);
        CPPUNIT_ASSERT_EQUAL(34L, view.campaignId);
        CPPUNIT_ASSERT_EQUAL(56L, view.recipientId);
        CPPUNIT_ASSERT_EQUAL(std::string("a@b.c"), view.address);
        CPPUNIT_ASSERT_THROW(signer.verify(token, LinkPurpose::Unsubscribe), InvalidTokenException);
    }

    void testUnsubscribeUrlFitsAListUnsubscribeHeader()
    {
        LinkSigner signer(std::string(32, 's'));
        RecipientLinks links(signer, "https://crm.amap-capucins.example/p/massmailing/");
        std::string header =
            "<" +
            links.unsubscribeUrl(123456, 98765, 123456789, "marie-christine.dupont@amap-capucins.example") +
            ">";
        CPPUNIT_ASSERT_MESSAGE(header, header.size() < 200);
    }

private:
    static constexpr const char* BASE = "https://crm.example/p/massmailing/";
};

CPPUNIT_TEST_SUITE_REGISTRATION(RecipientLinksTest);
