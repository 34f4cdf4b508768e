#ifndef MassMailing_Attachments_INCLUDED
#define MassMailing_Attachments_INCLUDED

#include "CrmHost/Database.h"
#include "content/Attachment.h"
#include "content/MessageFiles.h"
#include <optional>
#include <string>
#include <vector>

namespace MassMailing
{
/// The files of every campaign (C3): rows of mm_attachments, bytes in
/// <folder>/<campaign>/<id> (the folder is the module's data folder + "/attachments").
///
/// An inline image is referred to by the stored HTML as "cid:<inlineId>". The editor cannot
/// show cid: URLs, so the screens swap them for the image's address on the way out
/// (withImageUrls) and back on the way in (withContentIds). Images pasted as data: URIs
/// become inline images (adoptDataImages): mail clients such as Gmail do not show data: URIs.
class Attachments
{
public:
    static const std::size_t FILE_LIMIT = 26214400;
    /// 25 MB: a file larger than a whole message may be can never be sent.

    Attachments(CrmHost::Database& database, const std::string& folder);

    Attachment add(long campaignId, const std::string& filename, const std::string& contentType,
                   const std::string& bytes, bool inlineImage);
    /// Stores a file. The name is reduced to its last path element without control
    /// characters; an empty or unknown content type is guessed from the name's extension.
    /// Throws FieldException (field "file"): "no_file" for an empty file, "file_too_large"
    /// beyond FILE_LIMIT, "not_an_image" for an inline file that is not PNG, JPEG, GIF or WebP.

    std::vector<Attachment> of(long campaignId);
    /// The campaign's files, in the order they were added.

    std::optional<Attachment> find(long campaignId, long id);

    std::string bytes(const Attachment& attachment) const;
    /// The file's content. Throws Poco::FileNotFoundException when the file is gone.

    void remove(long campaignId, long id);
    /// Removes the row and the file; nothing happens for an unknown id.

    MessageFiles files(long campaignId);
    /// Every file with its bytes, as the message carries them.

    std::size_t totalBytes(long campaignId);

    std::string withImageUrls(const std::string& html, long campaignId, const std::string& urlPrefix);
    /// "cid:<inlineId>" of the campaign's images become urlPrefix + id (the image screen).

    std::string withContentIds(const std::string& html, long campaignId, const std::string& urlPrefix);
    /// The reverse of withImageUrls.

    std::string withImageData(const std::string& html, long campaignId);
    /// "cid:<inlineId>" of the campaign's images become data: URIs, for a preview or a
    /// template that must show them without the campaign's files.

    std::string adoptDataImages(long campaignId, const std::string& html);
    /// Every data: URI of a PNG, JPEG, GIF or WebP image becomes an inline image of the
    /// campaign, referred to as "cid:...". Throws FieldException (file) as add() does.

    static std::string guessType(const std::string& filename);
    /// The content type of a file name's extension; application/octet-stream when unknown.

private:
    std::string pathOf(long campaignId, long id) const;

    CrmHost::Database& _database;
    std::string _folder;
};
} // namespace MassMailing

#endif
