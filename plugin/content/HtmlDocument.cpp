#include "HtmlDocument.h"
#include "ContentException.h"
#include <Poco/Exception.h>
#include <Poco/String.h>
#include <cstdlib>
#include <utility>
#include <vector>

namespace MassMailing
{
// gumbo frees its tree by recursion (gumbo_destroy_output), which a deep tree overflows: the
// document allocates gumbo's memory itself, in blocks chained together, and frees the chain.
struct alignas(std::max_align_t) HtmlDocument::Block
{
    Block* previous;
    Block* next;
};

namespace
{
void* allocate(void* userdata, std::size_t size)
{
    auto** head = static_cast<HtmlDocument::Block**>(userdata);
    auto* block = static_cast<HtmlDocument::Block*>(std::malloc(sizeof(HtmlDocument::Block) + size));
    if (block == nullptr) // gumbo checks no allocation, and no exception may cross its C code
        std::abort();
    block->previous = nullptr;
    block->next = *head;
    if (*head != nullptr)
        (*head)->previous = block;
    *head = block;
    return block + 1;
}

void deallocate(void* userdata, void* pointer)
{
    if (pointer == nullptr)
        return;
    auto** head = static_cast<HtmlDocument::Block**>(userdata);
    auto* block = static_cast<HtmlDocument::Block*>(pointer) - 1;
    if (block->previous != nullptr)
        block->previous->next = block->next;
    else
        *head = block->next;
    if (block->next != nullptr)
        block->next->previous = block->previous;
    std::free(block);
}

bool hasChildren(const GumboNode* node)
{
    return node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE ||
           node->type == GUMBO_NODE_DOCUMENT;
}

const GumboVector& childrenOf(const GumboNode* node)
{
    return node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children : node->v.element.children;
}

// The deepest nesting of elements under root, counted without recursion; stops once past limit.
std::size_t depthOf(const GumboNode* root, std::size_t limit)
{
    std::vector<std::pair<const GumboNode*, std::size_t>> pending{{root, 0}};
    std::size_t deepest = 0;
    while (!pending.empty())
    {
        const auto [node, depth] = pending.back();
        pending.pop_back();
        deepest = std::max(deepest, depth);
        if (deepest > limit)
            break;
        if (!hasChildren(node))
            continue;
        const GumboVector& children = childrenOf(node);
        for (unsigned i = 0; i < children.length; ++i)
            pending.emplace_back(static_cast<const GumboNode*>(children.data[i]), depth + 1);
    }
    return deepest;
}
} // namespace

HtmlDocument::HtmlDocument(const std::string& html, const std::string& field) : _html(html)
{
    GumboOptions options = kGumboDefaultOptions;
    options.allocator = allocate;
    options.deallocator = deallocate;
    options.userdata = &_blocks;
    _output = gumbo_parse_with_options(&options, _html.data(), _html.size());
    if (_output == nullptr)
    {
        release();
        throw Poco::OutOfMemoryException("HTML parser");
    }
    const GumboNode* root = _output->root;
    if (depthOf(_output->document, MAX_DEPTH) > MAX_DEPTH)
    {
        release();
        throw FieldException(field, "too_deep",
                             field + ": elements are nested more than " + std::to_string(MAX_DEPTH) +
                                 " levels deep; simplify the layout");
    }
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
    release();
}

void HtmlDocument::release()
{
    while (_blocks != nullptr)
    {
        Block* next = _blocks->next;
        std::free(_blocks);
        _blocks = next;
    }
    _output = nullptr;
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
