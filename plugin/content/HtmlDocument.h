#ifndef MassMailing_HtmlDocument_INCLUDED
#define MassMailing_HtmlDocument_INCLUDED

#include <gumbo.h>
#include <string>

namespace MassMailing
{
/// An HTML text parsed by gumbo (the HTML5 parsing algorithm, as browsers do), owning the
/// tree. Internal to the content stage: HtmlSanitizer and TextAlternative walk it.
class HtmlDocument
{
public:
    explicit HtmlDocument(const std::string& html);
    /// Parses a document or a fragment; never fails (HTML5 parsing repairs everything).

    ~HtmlDocument();

    HtmlDocument(const HtmlDocument&) = delete;
    HtmlDocument& operator=(const HtmlDocument&) = delete;

    const GumboNode* body() const { return _body; }
    /// The <body> element, which gumbo always creates.

    static std::string tagName(const GumboNode* element);
    /// The lower-case tag name, also for elements gumbo does not know ("o:p", "xml").

    static const char* attribute(const GumboNode* element, const char* name);
    /// The decoded value of the attribute, or null.

private:
    std::string _html;
    GumboOutput* _output;
    const GumboNode* _body = nullptr;
};
} // namespace MassMailing

#endif
