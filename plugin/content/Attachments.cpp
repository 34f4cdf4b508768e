#include "content/Attachments.h"
#include "Base64.h"
#include "SqlDialect.h"
#include "content/ContentException.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Path.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/UUIDGenerator.h>
#include <sstream>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
namespace
{
const char* const COLUMNS =
    "id, campaign_id, filename, content_type, size_bytes, inline_id, CAST(created_at AS CHAR)";

bool isImageType(const std::string& type)
{
    return type == "image/png" || type == "image/jpeg" || type == "image/gif" || type == "image/webp";
}

// The last path element, without control characters, at most 255 bytes of whole UTF-8 characters.
std::string cleanName(const std::string& filename)
{
    std::string name = filename.substr(
        filename.find_last_of("/\\") == std::string::npos ? 0 : filename.find_last_of("/\\") + 1);
    std::string clean;
    for (char c : name)
        if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F)
            clean += c;
    clean = Poco::trim(clean);
    if (clean.size() > 255)
    {
        std::size_t cut = 255;
        while (cut > 0 && (static_cast<unsigned char>(clean[cut]) & 0xC0) == 0x80)
            --cut;
        clean.resize(cut);
    }
    return clean.empty() || clean == "." || clean == ".." ? "file" : clean;
}

// "image/PNG; name=x" -> "image/png"; empty when it is not a plain type/subtype.
std::string cleanType(const std::string& contentType)
{
    std::string type = Poco::toLower(Poco::trim(contentType.substr(0, contentType.find(';'))));
    const std::size_t slash = type.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == type.size())
        return "";
    for (std::size_t i = 0; i < type.size(); ++i)
    {
        const char c = type[i];
        if (!(i == slash || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              std::string("!#$&^_.+-").find(c) != std::string::npos))
            return "";
    }
    return type;
}

} // namespace

Attachments::Attachments(CrmHost::Database& database, const std::string& folder)
    : _database(database), _folder(folder)
{
}

std::string Attachments::guessType(const std::string& filename)
{
    static const std::pair<const char*, const char*> types[] = {
        {"png", "image/png"},
        {"jpg", "image/jpeg"},
        {"jpeg", "image/jpeg"},
        {"gif", "image/gif"},
        {"webp", "image/webp"},
        {"svg", "image/svg+xml"},
        {"pdf", "application/pdf"},
        {"txt", "text/plain"},
        {"csv", "text/csv"},
        {"html", "text/html"},
        {"ics", "text/calendar"},
        {"zip", "application/zip"},
        {"doc", "application/msword"},
        {"xls", "application/vnd.ms-excel"},
        {"odt", "application/vnd.oasis.opendocument.text"},
        {"ods", "application/vnd.oasis.opendocument.spreadsheet"},
        {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}};
    std::size_t dot = filename.rfind('.');
    std::string extension = dot == std::string::npos ? "" : Poco::toLower(filename.substr(dot + 1));
    for (const auto& [ext, type] : types)
        if (extension == ext)
            return type;
    return "application/octet-stream";
}

Attachment Attachments::add(long campaignId, const std::string& filename, const std::string& contentType,
                            const std::string& bytes, bool inlineImage)
{
    Attachment a;
    a.campaignId = campaignId;
    a.filename = cleanName(filename);
    a.contentType = cleanType(contentType);
    if (a.contentType.empty() || a.contentType == "application/octet-stream")
        a.contentType = guessType(a.filename);
    a.size = bytes.size();
    if (bytes.empty())
        throw FieldException("file", "no_file", "choose a file to upload (" + a.filename + " is empty)");
    if (a.size > FILE_LIMIT)
        throw FieldException("file", "file_too_large",
                             a.filename + " is " + MessageTooLargeException::megabytes(a.size) +
                                 " MB; a whole message may not exceed " +
                                 MessageTooLargeException::megabytes(FILE_LIMIT) + " MB");
    if (inlineImage)
    {
        if (!isImageType(a.contentType))
            throw FieldException("file", "not_an_image",
                                 a.filename +
                                     " is not an image that mail clients show (PNG, JPEG, GIF, WebP)");
        a.inlineId = Poco::UUIDGenerator::defaultGenerator().createRandom().toString() + "@massmailing";
    }

    Poco::Data::Session session = _database.session();
    Poco::Int64 size = Poco::Int64(a.size);
    session.begin();
    session << "INSERT INTO mm_attachments (campaign_id, filename, content_type, size_bytes, inline_id) "
               "VALUES (?, ?, ?, ?, ?)",
        use(a.campaignId), use(a.filename), use(a.contentType), use(size), use(a.inlineId), now;
    Poco::Int64 id = 0;
    session << SqlDialect(_database.dialect()).lastInsertId(), into(id), now;
    a.id = long(id);
    try
    {
        // Written under a temporary name and renamed, so that no reader sees half a file.
        Poco::File(Poco::Path(pathOf(campaignId, a.id)).parent()).createDirectories();
        std::string partial = pathOf(campaignId, a.id) + ".part";
        {
            Poco::FileOutputStream out(partial);
            out.write(bytes.data(), std::streamsize(bytes.size()));
            out.close();
            if (!out.good())
                throw Poco::WriteFileException(partial);
        }
        Poco::File(partial).renameTo(pathOf(campaignId, a.id));
    }
    catch (...)
    {
        session.rollback();
        throw;
    }
    session.commit();
    return *find(campaignId, a.id);
}

std::vector<Attachment> Attachments::of(long campaignId)
{
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement statement(session);
    statement << std::string("SELECT ") + COLUMNS + " FROM mm_attachments WHERE campaign_id = ? ORDER BY id",
        use(campaignId), now;
    Poco::Data::RecordSet rows(statement);
    std::vector<Attachment> found;
    for (std::size_t row = 0; row < rows.rowCount(); ++row)
    {
        auto text = [&](std::size_t column) { return rows.value(column, row).convert<std::string>(); };
        auto number = [&](std::size_t column) { return rows.value(column, row).convert<Poco::Int64>(); };
        found.push_back(Attachment{long(number(0)), long(number(1)), text(2), text(3), std::size_t(number(4)),
                                   text(5), text(6)});
    }
    return found;
}

std::optional<Attachment> Attachments::find(long campaignId, long id)
{
    for (auto& attachment : of(campaignId))
        if (attachment.id == id)
            return attachment;
    return std::nullopt;
}

std::string Attachments::bytes(const Attachment& attachment) const
{
    Poco::FileInputStream in(pathOf(attachment.campaignId, attachment.id));
    std::string content;
    content.reserve(attachment.size);
    Poco::StreamCopier::copyToString(in, content);
    return content;
}

void Attachments::remove(long campaignId, long id)
{
    Poco::Data::Session session = _database.session();
    session << "DELETE FROM mm_attachments WHERE campaign_id = ? AND id = ?", use(campaignId), use(id), now;
    Poco::File file(pathOf(campaignId, id));
    if (file.exists())
        file.remove();
}

MessageFiles Attachments::files(long campaignId)
{
    MessageFiles files;
    for (const auto& a : of(campaignId))
    {
        if (a.isInline())
            files.inlineImages.push_back({a.inlineId, a.filename, a.contentType, bytes(a)});
        else
            files.attachments.push_back({a.filename, a.contentType, bytes(a)});
    }
    return files;
}

std::size_t Attachments::totalBytes(long campaignId)
{
    std::size_t total = 0;
    for (const auto& a : of(campaignId))
        total += a.size;
    return total;
}

std::string Attachments::withImageUrls(const std::string& html, long campaignId, const std::string& urlPrefix)
{
    std::string out = html;
    for (const auto& a : of(campaignId))
        if (a.isInline())
            Poco::replaceInPlace(out, "cid:" + a.inlineId, urlPrefix + std::to_string(a.id));
    return out;
}

std::string Attachments::withContentIds(const std::string& html, long campaignId,
                                        const std::string& urlPrefix)
{
    std::string out = html;
    for (const auto& a : of(campaignId))
    {
        if (!a.isInline())
            continue;
        // The prefix followed by the id and a quote: "/files/1" must not match "/files/12".
        for (const char* quote : {"\"", "'"})
            Poco::replaceInPlace(out, urlPrefix + std::to_string(a.id) + quote, "cid:" + a.inlineId + quote);
    }
    return out;
}

std::string Attachments::withImageData(const std::string& html, long campaignId)
{
    std::string out = html;
    for (const auto& a : of(campaignId))
        if (a.isInline() && out.find("cid:" + a.inlineId) != std::string::npos)
            Poco::replaceInPlace(out, "cid:" + a.inlineId,
                                 "data:" + a.contentType + ";base64," + base64(bytes(a)));
    return out;
}

std::string Attachments::adoptDataImages(long campaignId, const std::string& html)
{
    static const std::string marker = "data:image/";
    std::string out;
    std::size_t copied = 0, pos = 0;
    while ((pos = html.find(marker, pos)) != std::string::npos)
    {
        std::size_t comma = html.find(";base64,", pos);
        std::string type = comma == std::string::npos ? "" : html.substr(pos + 5, comma - pos - 5);
        if (type == "image/jpg")
            type = "image/jpeg";
        if (!isImageType(type))
        {
            pos += marker.size();
            continue;
        }
        std::size_t begin = comma + 8;
        std::size_t end = html.find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\r\n", begin);
        if (end == std::string::npos)
            end = html.size();
        std::string bytes;
        try
        {
            bytes = unbase64(html.substr(begin, end - begin));
        }
        catch (const Poco::DataFormatException&)
        {
            pos = end;
            continue; // not base64 after all: the sanitiser decides about it
        }
        std::string extension = type.substr(6);
        Attachment image =
            add(campaignId, "image-" + std::to_string(of(campaignId).size() + 1) + "." + extension, type,
                bytes, true);
        out.append(html, copied, pos - copied);
        out += "cid:" + image.inlineId;
        copied = pos = end;
    }
    return out.append(html, copied, std::string::npos);
}

std::string Attachments::pathOf(long campaignId, long id) const
{
    return _folder + "/" + std::to_string(campaignId) + "/" + std::to_string(id);
}
} // namespace MassMailing
