#include "CrmHostApplication.h"
#include "DemoSeeder.h"
#include "Host.h"
#include "InboundListener.h"
#include "PasswordHasher.h"
#include "WebServer.h"
#include <Poco/NumberParser.h>
#include <Poco/Thread.h>
#include <Poco/Timestamp.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <iostream>

namespace CrmHost
{
namespace
{
long parseLong(const CommandLine& command, const std::string& option, long fallback)
{
    std::string text = command.value(option, std::to_string(fallback));
    long value = 0;
    if (!Poco::NumberParser::tryParse64(text, value))
        throw Poco::InvalidArgumentException("--" + option + " must be a number, not \"" + text + "\"");
    return value;
}

long groupOption(Host& host, const CommandLine& command)
{
    long id = parseLong(command, "group", 0);
    if (!host.groups().find(id))
        throw Poco::NotFoundException("no group with id " + command.value("group") +
                                      " (see: crmhost group list)");
    return id;
}
} // namespace

CrmHostApplication::CrmHostApplication(std::vector<std::string> command) : _command(std::move(command))
{
    setUnixOptions(true);
}

void CrmHostApplication::defineOptions(Poco::Util::OptionSet& options)
{
    ServerApplication::defineOptions(options);
    options.addOption(Poco::Util::Option("config", "c", "load the configuration from FILE (Poco properties)")
                          .required(false)
                          .repeatable(false)
                          .argument("FILE"));
    options.addOption(Poco::Util::Option("help", "h", "show the commands").required(false).repeatable(false));
}

void CrmHostApplication::handleOption(const std::string& name, const std::string& value)
{
    ServerApplication::handleOption(name, value);
    if (name == "config")
        loadConfiguration(value);
    else if (name == "help")
    {
        _help = true;
        stopOptionsProcessing();
    }
}

void CrmHostApplication::usage(std::ostream& out) const
{
    out << "usage: crmhost [--config FILE] COMMAND [OPTIONS]\n"
           "  serve                              migrate, load the modules, run the scheduler and the HTTP "
           "server\n"
           "  migrate                            apply the host's and every module's pending migrations\n"
           "  seed-demo [--people N] [--seed S]  fill an empty database with the demo groups and N people\n"
           "  group list                         ID<TAB>KIND<TAB>NAME of every group\n"
           "  user add --login L --password P [--group G] [--right R]...\n"
           "  user token --login L               print a new API token\n"
           "  module list | enable NAME --group G | disable NAME --group G\n"
           "  task list | run NAME [--until-idle]\n"
           "  mail receive [--sender S] [--recipient R]...\n"
           "                                     store one message read on stdin, hand it to the inbound\n"
           "                                     mail handlers (exit 0 once stored, 75 when it could not "
           "be)\n";
}

int CrmHostApplication::main(const std::vector<std::string>&)
{
    if (_help)
    {
        usage(std::cout);
        return EXIT_OK;
    }
    try
    {
        return execute(CommandLine(_command));
    }
    catch (const SettingException& error)
    {
        std::cerr << "crmhost: " << error.message() << "\n";
        return EXIT_CONFIG;
    }
    catch (const Poco::InvalidArgumentException& error)
    {
        std::cerr << "crmhost: " << error.message() << "\n";
        usage(std::cerr);
        return EXIT_USAGE;
    }
    catch (const Poco::Exception& error)
    {
        std::cerr << "crmhost: " << error.displayText() << "\n";
        return EXIT_SOFTWARE;
    }
}

int CrmHostApplication::execute(const CommandLine& command)
{
    std::string name = command.word(0).empty() ? "serve" : command.word(0);
    static const std::vector<std::string> known{"serve", "migrate", "seed-demo", "group",
                                                "user",  "module",  "task",      "mail"};
    if (std::find(known.begin(), known.end(), name) == known.end())
        throw Poco::InvalidArgumentException("unknown command \"" + name + "\"");

    // The one-shot commands print their results; the host's routine log would drown them.
    // seed-demo keeps its progress lines: a million people take a while.
    if (name != "serve" && name != "seed-demo" && !config().has("logging.loggers.root.level"))
        Poco::Logger::setLevel("", Poco::Message::PRIO_WARNING);
    if (name == "mail")
        return mail(command);
    Host host(Poco::AutoPtr<Poco::Util::AbstractConfiguration>(&config(), true));
    host.loadModules();
    host.migrate();
    if (name == "serve")
        return serve(host);
    if (name == "migrate")
    {
        std::cout << "Database is up to date.\n";
        return EXIT_OK;
    }
    if (name == "seed-demo")
        return seedDemo(host, command);
    if (name == "group")
    {
        if (command.word(1) != "list")
            throw Poco::InvalidArgumentException("usage: crmhost group list");
        for (const auto& group : host.groups().all())
            std::cout << group.id << '\t' << group.kind << '\t' << group.name << '\n';
        return EXIT_OK;
    }
    if (name == "user")
        return user(host, command);
    if (name == "module")
        return module(host, command);
    return task(host, command);
}

int CrmHostApplication::serve(Host& host)
{
    InboundListener::Options mailOptions = InboundListener::Options::from(config());
    host.startModules();
    host.scheduler().start();
    WebServer server(host);
    server.start();
    logger().information("Serving on http://%s:%hu/", config().getString("http.address", "127.0.0.1"),
                         server.port());
    std::unique_ptr<InboundListener> listener;
    if (mailOptions.enabled())
    {
        listener =
            std::make_unique<InboundListener>(mailOptions,
                                              [&host](const std::string& raw, const std::string& sender,
                                                      const std::vector<std::string>& recipients)
                                              {
                                                  long id = host.mailbox().store(raw, sender, recipients);
                                                  host.scheduler().wake("host.inbound");
                                                  return id;
                                              });
        listener->start();
    }
    waitForTerminationRequest();
    logger().information("Stopping");
    if (listener)
        listener->stop();
    server.stop();
    host.scheduler().stop();
    host.stopModules();
    return EXIT_OK;
}

int CrmHostApplication::seedDemo(Host& host, const CommandLine& command)
{
    long people = parseLong(command, "people", 1000);
    long seed = parseLong(command, "seed", 1);
    if (people < 100)
        throw Poco::InvalidArgumentException("--people must be at least 100");
    if (!host.groups().all().empty())
        throw Poco::ExistsException("the database already holds groups: seed-demo fills an empty database");

    DemoSeeder seeder(host.database(), logger());
    DemoGroups groups = seeder.seed(people, static_cast<unsigned long>(seed));

    Accounts& accounts = host.accounts();
    std::string password = PasswordHasher::randomToken(8);
    long admin = accounts.addUser("admin", password);
    for (const char* right : {"host.admin", "massmailing.compose", "massmailing.send", "massmailing.approve",
                              "massmailing.admin"})
        accounts.grant(admin, Accounts::ALL_GROUPS, right);

    // A coordinator of the food group, and a plain member of it who never sees the module.
    long coordinator = accounts.addUser("coordinator", password);
    accounts.addMembership(coordinator, groups.food);
    for (const char* right : {"massmailing.compose", "massmailing.send"})
        accounts.grant(coordinator, groups.food, right);
    long member = accounts.addUser("member", password);
    accounts.addMembership(member, groups.food);

    std::cout << "Demo data: " << people << " people, seed " << seed << ".\n"
              << "Administrator: login admin, password " << password << "\n"
              << "Coordinator of the food group: login coordinator, password " << password << "\n"
              << "Plain member of the food group: login member, password " << password << "\n";
    return EXIT_OK;
}

int CrmHostApplication::user(Host& host, const CommandLine& command)
{
    Accounts& accounts = host.accounts();
    if (command.word(1) == "add")
    {
        std::string login = command.required("login");
        std::string password = command.required("password");
        long groupId = command.has("group") ? groupOption(host, command) : 0;
        if (!command.values("right").empty() && !command.has("group") &&
            command.values("right") != std::vector<std::string>{"host.admin"})
            throw Poco::InvalidArgumentException("--right needs --group, except host.admin");
        long id = accounts.addUser(login, password);
        if (groupId)
            accounts.addMembership(id, groupId);
        for (const auto& right : command.values("right"))
            accounts.grant(id, right == "host.admin" ? Accounts::ALL_GROUPS : groupId, right);
        std::cout << "User " << login << " created (id " << id << ").\n";
        return EXIT_OK;
    }
    if (command.word(1) == "token")
    {
        auto user = accounts.findUser(command.required("login"));
        if (!user)
            throw Poco::NotFoundException("no user with login " + command.value("login"));
        std::cout << accounts.issueApiToken(user->id) << '\n';
        return EXIT_OK;
    }
    throw Poco::InvalidArgumentException("usage: crmhost user add ... | user token --login L");
}

int CrmHostApplication::module(Host& host, const CommandLine& command)
{
    std::string action = command.word(1);
    if (action == "list")
    {
        for (const auto& loaded : host.modules().modules())
        {
            std::string groups;
            for (long id : host.groups().enabledGroups(loaded->name))
                groups += (groups.empty() ? "" : ",") + std::to_string(id);
            std::cout << (loaded->name.empty() ? loaded->path : loaded->name) << '\t' << loaded->version
                      << '\t' << "api " << loaded->apiMajor << '.' << loaded->apiMinor << '\t'
                      << (loaded->error.empty() ? "loaded" : "refused: " + loaded->error) << '\t' << "groups "
                      << (groups.empty() ? "-" : groups) << '\n';
        }
        return EXIT_OK;
    }
    if (action == "enable" || action == "disable")
    {
        std::string name = command.word(2);
        auto loaded = std::find_if(host.modules().modules().begin(), host.modules().modules().end(),
                                   [&](const auto& m) { return m->name == name && m->error.empty(); });
        if (name.empty() || loaded == host.modules().modules().end())
            throw Poco::NotFoundException("no loaded module named \"" + name +
                                          "\" (see: crmhost module list)");
        long groupId = groupOption(host, command);
        if (action == "enable")
            host.groups().enable(name, groupId);
        else
            host.groups().disable(name, groupId);
        std::cout << "Module " << name << ' ' << action << "d for group " << groupId << ".\n";
        return EXIT_OK;
    }
    throw Poco::InvalidArgumentException(
        "usage: crmhost module list | enable NAME --group G | disable NAME --group G");
}

int CrmHostApplication::task(Host& host, const CommandLine& command)
{
    host.startModules();
    if (command.word(1) == "list")
    {
        for (const auto& [name, owned] : host.extensions().tasks.all())
        {
            const Schedule& schedule = owned.entry.schedule;
            std::cout << name << '\t'
                      << (schedule.cron.empty() ? "every " + std::to_string(schedule.intervalSeconds) + "s"
                                                : "cron " + schedule.cron)
                      << '\t' << owned.entry.description << '\n';
        }
        return EXIT_OK;
    }
    if (command.word(1) == "run" && !command.word(2).empty())
    {
        int rounds = 1;
        Poco::Timestamp began;
        while (host.scheduler().runNow(command.word(2)) && command.has("until-idle"))
        {
            ++rounds;
            // A round back at once found its work not yet due or held by another host: wait a
            // moment instead of asking the database again and again.
            const Poco::Timestamp::TimeDiff second = Poco::Timestamp::resolution();
            if (began.elapsed() < second)
                Poco::Thread::sleep(long((second - began.elapsed()) / 1000));
            began.update();
        }
        std::cout << "Task " << command.word(2) << " ran " << rounds << (rounds == 1 ? " round" : " rounds")
                  << ".\n";
        return EXIT_OK;
    }
    throw Poco::InvalidArgumentException("usage: crmhost task list | task run NAME [--until-idle]");
}

int CrmHostApplication::mail(const CommandLine& command)
{
    if (command.word(1) != "receive")
        throw Poco::InvalidArgumentException("usage: crmhost mail receive [--sender S] [--recipient R]...");
    const std::size_t maxSize = InboundListener::Options::from(config()).maxSize;
    std::string raw;
    {
        std::vector<char> buffer(64 * 1024);
        while (std::cin.read(buffer.data(), std::streamsize(buffer.size())) || std::cin.gcount() > 0)
        {
            raw.append(buffer.data(), std::size_t(std::cin.gcount()));
            if (raw.size() > maxSize)
            {
                std::cerr << "crmhost: the message is larger than mail.listen.max_size (" << maxSize
                          << " bytes): refused, nothing stored\n";
                return EXIT_DATAERR;
            }
        }
    }
    if (raw.empty())
    {
        std::cerr << "crmhost: no message on standard input: nothing stored\n";
        return EXIT_DATAERR;
    }
    // The envelope as the MTA gives it (Postfix's pipe: --sender ${sender} --recipient ${recipient},
    // the latter one word per recipient), else as the headers tell it.
    std::string sender = command.has("sender") ? command.value("sender") : Mailbox::headerSender(raw);
    if (sender == "<>")
        sender.clear();
    std::vector<std::string> recipients = command.values("recipient");
    for (std::size_t i = 2; i < command.words().size(); ++i)
        recipients.push_back(command.word(i));
    if (recipients.empty())
        recipients = Mailbox::headerRecipients(raw);

    std::unique_ptr<Host> host;
    long id = 0;
    try
    {
        host = std::make_unique<Host>(Poco::AutoPtr<Poco::Util::AbstractConfiguration>(&config(), true));
        host->loadModules();
        host->migrate();
        id = host->mailbox().store(raw, sender, recipients);
    }
    catch (const Poco::Exception& error)
    {
        std::cerr << "crmhost: the message could not be stored (the MTA should try again later): "
                  << error.displayText() << "\n";
        return EXIT_TEMPFAIL;
    }
    catch (const std::exception& error)
    {
        std::cerr << "crmhost: the message could not be stored (the MTA should try again later): "
                  << error.what() << "\n";
        return EXIT_TEMPFAIL;
    }
    std::cout << "Stored message " << id << ".\n";
    // Stored: whatever happens now, the message is kept and host.inbound offers it again.
    try
    {
        host->startModules();
        StoredMail mail = host->mailbox().processOne(id);
        if (mail.status == Mailbox::UNDERSTOOD)
            std::cout << "Understood by " << mail.handler << ": " << mail.detail << "\n";
        else if (mail.status == Mailbox::NOT_UNDERSTOOD)
            std::cout << "Not understood (kept for the administrator): " << mail.detail << "\n";
        else
            std::cout << "Pending (offered again later): " << mail.detail << "\n";
    }
    catch (const Poco::Exception& error)
    {
        std::cout << "Pending (offered again later): " << error.displayText() << "\n";
    }
    catch (const std::exception& error)
    {
        std::cout << "Pending (offered again later): " << error.what() << "\n";
    }
    return EXIT_OK;
}
} // namespace CrmHost
