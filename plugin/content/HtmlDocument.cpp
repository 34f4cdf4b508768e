#include "HtmlDocument.h"
#include <Poco/Exception.h>
#include <Poco/String.h>

namespace MassMailing
{
HtmlDocument::HtmlDocument(const std::string& html) : _html(html)
{
    _output = gumbo_parse_with_options(&kGumboDefaultOptions, _html.data(), _html.size());
    if (_output == nullptr)
        throw Poco::OutOfMemoryException("HTML parser");
    const GumboNode* root = _output->root;
    for (unsigned i = 0; root != nullptr && i < root->v.element.children.length; ++i)
    {
        const auto* child = static_cast<const GumboNode*>(root->v.element.children.data[i]);
        if (child->type == GUMBO_NODE_ELEMENT && child->v.element.tag == GUMBO_TAG_BODY)
            _body = child;
    }
    if (_body == nullptr)
        _body = root;
}

HtmlDocument::~HtmlDocument()
{
    gumbo_destroy_output(&kGumboDefaultOptions, _output);
}

std::string HtmlDocument::tagName(const GumboNode* element)
{
    const GumboTag tag = element->v.element.tag;
    if (tag != GUMBO_TAG_UNKNOWN)
        return gumbo_normalized_tagname(tag);
    GumboStringPiece original = element->v.element.original_tag;
    gumbo_tag_from_original_text(&original);
    if (original.data == nullptr)
        return std::string();
    return Poco::toLower(std::string(original.data, original.length));
}

const char* HtmlDocument::attribute(const GumboNode* element, const char* name)
{
    const GumboAttribute* found = gumbo_get_attribute(&element->v.element.attributes, name);
    return found == nullptr ? nullptr : found->value;
}
} // namespace MassMailing
