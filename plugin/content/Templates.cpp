#include "content/Templates.h"
#include "SqlDialect.h"
#include "content/ContentException.h"
#include "content/HtmlSanitizer.h"
#include "content/MustacheTags.h"
#include "content/TextLine.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/String.h>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
Templates::Templates(CrmHost::Database& database) : _database(database) {}

long Templates::save(MessageTemplate t)
{
    t.name = Poco::trim(t.name);
    if (t.name.empty())
        throw FieldException("template_name", "required", "a template needs a name");
    if (TextLine::characters(t.name) > 200 || t.name.find_first_of("\r\n") != std::string::npos)
        throw FieldException("template_name", "too_long",
                             "a template name is one line of at most 200 characters");
    TextLine::check("template_name", t.name, 200);
    TextLine::check("subject", t.subject, 500);
    MustacheTags::checkNesting(t.subject, "subject");
    t.html = HtmlSanitizer().sanitize(t.html);
    Poco::Data::Session session = _database.session();
    session.begin();
    session << "INSERT INTO mm_templates (group_id, name, subject, html) VALUES (?, ?, ?, ?)", use(t.groupId),
        use(t.name), use(t.subject), use(t.html), now;
    Poco::Int64 id = 0;
    session << SqlDialect(_database.dialect()).lastInsertId(), into(id), now;
    session.commit();
    return long(id);
}

std::vector<MessageTemplate> Templates::ofGroup(long groupId)
{
    Poco::Data::Session session = _database.session();
    Poco::Data::RecordSet rows(
        SqlDialect(_database.dialect())
            .selectWithLongTexts(
                session, {"id", "group_id", "name", "subject", "html", "CAST(created_at AS CHAR)"}, {"html"},
                "FROM mm_templates WHERE group_id = ? ORDER BY name, id DESC", groupId));
    std::vector<MessageTemplate> found;
    for (std::size_t row = 0; row < rows.rowCount(); ++row)
    {
        auto text = [&](std::size_t column) { return rows.value(column, row).convert<std::string>(); };
        found.push_back(MessageTemplate{long(rows.value(0, row).convert<Poco::Int64>()),
                                        long(rows.value(1, row).convert<Poco::Int64>()), text(2), text(3),
                                        text(4), text(5)});
    }
    return found;
}

std::optional<MessageTemplate> Templates::find(long groupId, long id)
{
    for (auto& t : ofGroup(groupId))
        if (t.id == id)
            return t;
    return std::nullopt;
}
} // namespace MassMailing
