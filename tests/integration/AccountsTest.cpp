#include "Accounts.h"
#include "Groups.h"
#include "PasswordHasher.h"
#include "TestDatabase.h"
#include <Poco/DateTime.h>
#include <Poco/Exception.h>
#include <cppunit/extensions/HelperMacros.h>

using namespace Poco::Data::Keywords;
using CrmHost::Accounts;

// Login accounts, rights, sessions, API tokens and the module switch, on the database
// CRMHOST_TEST_DB names.
class AccountsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(AccountsTest);
    CPPUNIT_TEST(testShortPasswordIsRefusedNamingTheField);
    CPPUNIT_TEST(testTakenLoginIsRefused);
    CPPUNIT_TEST(testOnlyTheRightPasswordAuthenticates);
    CPPUNIT_TEST(testRightHeldInAllGroupsHoldsInEachGroup);
    CPPUNIT_TEST(testRightHeldInOneGroupHoldsThereOnly);
    CPPUNIT_TEST(testMemberSeesHisGroupButNotTheOthers);
    CPPUNIT_TEST(testSessionIsFoundUntilClosed);
    CPPUNIT_TEST(testSessionIdsAndApiTokensAreStoredOnlyAsDigests);
    CPPUNIT_TEST(testExpiredSessionsAreDeletedAtTheNextLogin);
    CPPUNIT_TEST(testApiTokenIdentifiesItsUser);
    CPPUNIT_TEST(testModuleIsEnabledPerGroup);
    CPPUNIT_TEST(testEnablingInAnUnknownGroupIsRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _database = makeTestDatabase("crmhost_test_accounts");
        _accounts = std::make_unique<Accounts>(*_database);
        _groups = std::make_unique<CrmHost::Groups>(*_database);
        Poco::Data::Session session = _database->session();
        session << "INSERT INTO host_groups (kind, name) VALUES ('food', 'AMAP'), ('crm', 'Conseil')", now;
        std::vector<Poco::Int64> ids;
        session << "SELECT id FROM host_groups ORDER BY id", into(ids), now;
        _food = long(ids.at(0));
        _crm = long(ids.at(1));
    }

    void tearDown() override
    {
        _groups.reset();
        _accounts.reset();
        _database.reset();
    }

    void testShortPasswordIsRefusedNamingTheField()
    {
        try
        {
            _accounts->addUser("alice", "1234567");
            CPPUNIT_FAIL("a 7-character password was accepted");
        }
        catch (const Poco::InvalidArgumentException& error)
        {
            CPPUNIT_ASSERT_MESSAGE(error.displayText(),
                                   error.displayText().find("password") != std::string::npos);
        }
        CPPUNIT_ASSERT(!_accounts->findUser("alice"));
    }

    void testTakenLoginIsRefused()
    {
        _accounts->addUser("alice", "first-password");
        CPPUNIT_ASSERT_THROW(_accounts->addUser("alice", "second-password"), Poco::ExistsException);
        CPPUNIT_ASSERT(_accounts->authenticate("alice", "first-password"));
    }

    void testOnlyTheRightPasswordAuthenticates()
    {
        long id = _accounts->addUser("alice", "correct-password");
        auto user = _accounts->authenticate("alice", "correct-password");
        CPPUNIT_ASSERT(user);
        CPPUNIT_ASSERT_EQUAL(id, user->id);
        CPPUNIT_ASSERT(!_accounts->authenticate("alice", "Correct-password"));
        CPPUNIT_ASSERT(!_accounts->authenticate("Alice", "correct-password"));
        CPPUNIT_ASSERT(!_accounts->authenticate("bob", "correct-password"));
    }

    void testRightHeldInAllGroupsHoldsInEachGroup()
    {
        long admin = _accounts->addUser("admin", "admin-password");
        _accounts->grant(admin, Accounts::ALL_GROUPS, "host.admin");
        _accounts->grant(admin, Accounts::ALL_GROUPS, "host.admin"); // granting twice is harmless
        CPPUNIT_ASSERT(_accounts->hasRight(admin, "host.admin", _food));
        CPPUNIT_ASSERT(_accounts->hasRight(admin, "host.admin", _crm));
        CPPUNIT_ASSERT(_accounts->canSeeGroup(admin, _crm));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _groups->visibleTo(admin).size());
    }

    void testRightHeldInOneGroupHoldsThereOnly()
    {
        long coordinator = _accounts->addUser("coordinator", "coordinator-password");
        _accounts->grant(coordinator, _food, "massmailing.compose");
        CPPUNIT_ASSERT(_accounts->hasRight(coordinator, "massmailing.compose", _food));
        CPPUNIT_ASSERT(!_accounts->hasRight(coordinator, "massmailing.compose", _crm));
        CPPUNIT_ASSERT(!_accounts->hasRight(coordinator, "massmailing.send", _food));
        CPPUNIT_ASSERT(_accounts->hasRightSomewhere(coordinator, "massmailing.compose"));
        CPPUNIT_ASSERT(!_accounts->canSeeGroup(coordinator, _crm));
    }

    void testMemberSeesHisGroupButNotTheOthers()
    {
        long member = _accounts->addUser("member", "member-password");
        _accounts->addMembership(member, _food);
        _accounts->addMembership(member, _food); // joining twice is harmless
        CPPUNIT_ASSERT(_accounts->canSeeGroup(member, _food));
        CPPUNIT_ASSERT(!_accounts->canSeeGroup(member, _crm));
        CPPUNIT_ASSERT(_accounts->rights(member, _food).empty());
        CPPUNIT_ASSERT_EQUAL(1L, _groups->count(_food));
        auto visible = _groups->visibleTo(member);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), visible.size());
        CPPUNIT_ASSERT_EQUAL(_food, visible.front().id);
    }

    void testSessionIsFoundUntilClosed()
    {
        long id = _accounts->addUser("alice", "alice-password");
        CrmHost::WebSession opened = _accounts->openSession(id);
        auto found = _accounts->findSession(opened.id);
        CPPUNIT_ASSERT(found);
        CPPUNIT_ASSERT_EQUAL(id, found->userId);
        CPPUNIT_ASSERT_EQUAL(opened.csrfToken, found->csrfToken);
        CPPUNIT_ASSERT(opened.csrfToken != opened.id);
        CPPUNIT_ASSERT(!_accounts->findSession(opened.id + "0"));
        CPPUNIT_ASSERT(!_accounts->findSession(""));
        _accounts->closeSession(opened.id);
        CPPUNIT_ASSERT(!_accounts->findSession(opened.id));
    }

    void testExpiredSessionsAreDeletedAtTheNextLogin()
    {
        long id = _accounts->addUser("alice", "alice-password");
        std::string kept = _accounts->openSession(id).id;
        Poco::Data::Session session = _database->session();
        Poco::DateTime past = Poco::DateTime() - Poco::Timespan(1, 0, 0, 0, 0);
        for (const std::string& token : {std::string("expired-1"), std::string("expired-2")})
            session
                << "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) VALUES (?, ?, 'x', ?)",
                bind(CrmHost::PasswordHasher::sha256(token)), use(id), use(past), now;

        _accounts->openSession(id);
        int count = 0;
        session << "SELECT COUNT(*) FROM sessions", into(count), now;
        CPPUNIT_ASSERT_EQUAL_MESSAGE("the two expired sessions are gone, the two live ones kept", 2, count);
        CPPUNIT_ASSERT(_accounts->findSession(kept));
    }

    void testSessionIdsAndApiTokensAreStoredOnlyAsDigests()
    {
        long id = _accounts->addUser("alice", "alice-password");
        std::string sessionId = _accounts->openSession(id).id;
        std::string token = _accounts->issueApiToken(id);
        Poco::Data::Session session = _database->session();
        std::vector<std::string> sessions, tokens;
        session << "SELECT token_hash FROM sessions", into(sessions), now;
        session << "SELECT token_hash FROM api_tokens", into(tokens), now;
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), sessions.size());
        CPPUNIT_ASSERT_EQUAL(CrmHost::PasswordHasher::sha256(sessionId), sessions.front());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), tokens.size());
        CPPUNIT_ASSERT_EQUAL(CrmHost::PasswordHasher::sha256(token), tokens.front());
    }

    void testApiTokenIdentifiesItsUser()
    {
        long alice = _accounts->addUser("alice", "alice-password");
        long bob = _accounts->addUser("bob", "bob-password-");
        std::string aliceToken = _accounts->issueApiToken(alice);
        std::string bobToken = _accounts->issueApiToken(bob);
        CPPUNIT_ASSERT(aliceToken != bobToken);
        CPPUNIT_ASSERT_EQUAL(alice, _accounts->userByApiToken(aliceToken)->id);
        CPPUNIT_ASSERT_EQUAL(std::string("bob"), _accounts->userByApiToken(bobToken)->login);
        CPPUNIT_ASSERT(!_accounts->userByApiToken(""));
        CPPUNIT_ASSERT(!_accounts->userByApiToken(CrmHost::PasswordHasher::sha256(aliceToken)));
    }

    void testModuleIsEnabledPerGroup()
    {
        CPPUNIT_ASSERT(!_groups->isEnabled("massmailing", _food));
        _groups->enable("massmailing", _food);
        _groups->enable("massmailing", _food); // enabling twice is harmless
        CPPUNIT_ASSERT(_groups->isEnabled("massmailing", _food));
        CPPUNIT_ASSERT(!_groups->isEnabled("massmailing", _crm));
        CPPUNIT_ASSERT(!_groups->isEnabled("other", _food));
        CPPUNIT_ASSERT(std::vector<long>{_food} == _groups->enabledGroups("massmailing"));
        _groups->disable("massmailing", _food);
        CPPUNIT_ASSERT(!_groups->isEnabled("massmailing", _food));
    }

    void testEnablingInAnUnknownGroupIsRefused()
    {
        CPPUNIT_ASSERT_THROW(_groups->enable("massmailing", _crm + 100), Poco::NotFoundException);
        CPPUNIT_ASSERT(_groups->enabledGroups("massmailing").empty());
    }

private:
    std::unique_ptr<CrmHost::SqlDatabase> _database;
    std::unique_ptr<Accounts> _accounts;
    std::unique_ptr<CrmHost::Groups> _groups;
    long _food = 0;
    long _crm = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AccountsTest);
