#ifndef MassMailing_Templates_INCLUDED
#define MassMailing_Templates_INCLUDED

#include "CrmHost/Database.h"
#include "content/MessageTemplate.h"
#include <optional>
#include <vector>

namespace MassMailing
{
/// The saved templates of every group (table mm_templates, C2).
class Templates
{
public:
    explicit Templates(CrmHost::Database& database);

    long save(MessageTemplate messageTemplate);
    /// Checks, sanitises the HTML and stores a new template; returns its id. Throws
    /// FieldException: template_name "required", "too_long" or "control_character"; subject
    /// "line_break", "control_character", "too_long" (500 characters) or "too_deep"; html
    /// "too_deep" (TextLine, MustacheTags, HtmlSanitizer).

    std::vector<MessageTemplate> ofGroup(long groupId);
    /// The group's templates by name, newest first among equal names.

    std::optional<MessageTemplate> find(long groupId, long id);
    /// The template of that id when it belongs to the group.

private:
    CrmHost::Database& _database;
};
} // namespace MassMailing

#endif
