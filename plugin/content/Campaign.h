#ifndef MassMailing_Campaign_INCLUDED
#define MassMailing_Campaign_INCLUDED

#include <string>
#include <vector>

namespace MassMailing
{
/// Another language version of a campaign's message (C11): what recipients whose locale is
/// this one get instead of the campaign's own subject and bodies (its main version).
struct CampaignVersion
{
    std::string locale;  /// Two lowercase letters, "en"; unique in the campaign.
    std::string subject; /// Required.
    std::string html;    /// Sanitised on the way in.
    std::string text;    /// Empty: generated from the HTML when sent.
};

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
    std::string forcedLocale; /// "": each recipient gets their locale's version; else everyone this one.
    std::string status = "draft";
    long createdBy = 0;
    std::string createdAt;
    std::vector<CampaignVersion> versions; /// The main version has no locale: it is for the others.
    bool tracking = true;       /// Opens and clicks recorded (R3), when the group's "tracking" is on too.
    std::string automatic = ""; /// "model": an automatic message's own (never sent); "occurrence": one of its
                                /// occurrences (M4); "" for the others. Set at creation, never changed.
};
} // namespace MassMailing

#endif
