#include "RequestBody.h"
#include "CrmHost/Exceptions.h"
#include <algorithm>

namespace CrmHost
{
namespace
{
std::istream* sourceOf(Poco::Net::HTTPServerRequest& request, std::size_t limit)
{
    if (request.hasContentLength() && request.getContentLength64() > Poco::Int64(limit))
        throw RequestError(413, "too_large",
                           "The request body is larger than " + std::to_string(limit >> 20) + " MB.");
    if (request.hasContentLength() || request.getChunkedTransferEncoding())
        return &request.stream();
    return nullptr;
}
} // namespace

RequestBody::Buffer::Buffer(std::istream* source, std::size_t limit) : _source(source), _limit(limit) {}

RequestBody::Buffer::int_type RequestBody::Buffer::underflow()
{
    if (gptr() < egptr())
        return traits_type::to_int_type(*gptr());
    if (!_source || _exceeded)
        return traits_type::eof();
    // One byte past the limit tells a body of exactly the limit from a larger one.
    std::size_t want = std::min(sizeof _chunk, _limit + 1 - _read);
    _source->read(_chunk, std::streamsize(want));
    std::size_t got = std::size_t(_source->gcount());
    _read += got;
    if (_read > _limit)
    {
        _exceeded = true;
        return traits_type::eof();
    }
    if (got == 0)
        return traits_type::eof();
    setg(_chunk, _chunk, _chunk + got);
    return traits_type::to_int_type(*gptr());
}

RequestBody::RequestBody(Poco::Net::HTTPServerRequest& request, std::size_t limit)
    : std::istream(nullptr), _buffer(sourceOf(request, limit), limit)
{
    rdbuf(&_buffer);
}

void RequestBody::check() const
{
    if (exceeded())
        throw RequestError(413, "too_large",
                           "The request body is larger than " + std::to_string(limit() >> 20) + " MB.");
}

std::string RequestBody::readAll()
{
    std::string body;
    char chunk[65536];
    while (read(chunk, sizeof chunk) || gcount() > 0)
        body.append(chunk, std::size_t(gcount()));
    check();
    return body;
}
} // namespace CrmHost
