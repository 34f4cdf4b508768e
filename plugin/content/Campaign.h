#ifndef MassMailing_Campaign_INCLUDED
#define MassMailing_Campaign_INCLUDED

#include <string>

namespace MassMailing
{
/// The module's central record: to whom (group, channel, recipient type — fixed once the
/// campaign exists), from whom, what it says, and where it stands.
struct Campaign
{
    long id = 0;
    long groupId = 0;
    std::string channel = "email";
    std::string recipientType;
    std::string name;
    std::string senderName;
    std::string senderEmail;
    std::string replyTo;
    std::string subject;
    std::string subjectPrefix;
    std::string html; /// Sanitised on the way in.
    std::string text; /// Empty: generated from the HTML when sent.
    std::string dedupe = "address";
    std::string forcedLocale;
    std::string status = "draft";
    long createdBy = 0;
    std::string createdAt;
};
} // namespace MassMailing

#endif
