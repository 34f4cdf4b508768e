#ifndef MassMailing_HtmlDocument_INCLUDED
#define MassMailing_HtmlDocument_INCLUDED

#include <cstddef>
#include <gumbo.h>
#include <string>

namespace MassMailing
{
/// An HTML text parsed by gumbo (the HTML5 parsing algorithm, as browsers do), owning the
/// tree. Internal to the content stage: HtmlSanitizer and TextAlternative walk it, by
/// recursion: a tree deeper than MAX_DEPTH is refused here, before any walk, and one whose
/// tags alone nest more than twice as deep before it is even parsed (gumbo's time grows with
/// the square of the depth).
class HtmlDocument
{
public:
    static const std::size_t MAX_DEPTH = 200;
    /// Elements nested deeper than this are refused: no email needs them, and every walk
    /// over the tree is recursive.

    explicit HtmlDocument(const std::string& html, const std::string& field = "html");
    /// Parses a document or a fragment (HTML5 parsing repairs everything). Throws
    /// FieldException (field, code "too_deep") when elements nest deeper than MAX_DEPTH;
    /// Poco::OutOfMemoryException if the parser cannot allocate.

    ~HtmlDocument();

    HtmlDocument(const HtmlDocument&) = delete;
    HtmlDocument& operator=(const HtmlDocument&) = delete;

    const GumboNode* body() const { return _body; }
    /// The <body> element, which gumbo always creates.

    static std::string tagName(const GumboNode* element);
    /// The lower-case tag name, also for elements gumbo does not know ("o:p", "xml").

    static const char* attribute(const GumboNode* element, const char* name);
    /// The decoded value of the attribute, or null.

    struct Block; // a block of gumbo's memory (HtmlDocument.cpp)

private:
    void release();

    std::string _html;
    Block* _blocks = nullptr; // every block gumbo holds, freed at once without walking the tree
    GumboOutput* _output = nullptr;
    const GumboNode* _body = nullptr;
};
} // namespace MassMailing

#endif
