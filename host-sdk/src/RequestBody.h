#ifndef CrmHost_RequestBody_INCLUDED
#define CrmHost_RequestBody_INCLUDED

#include <Poco/Net/HTTPServerRequest.h>
#include <cstddef>
#include <istream>
#include <streambuf>
#include <string>

namespace CrmHost
{
/// The body of a request, read through a cap whatever its framing (Content-Length, chunks,
/// or neither): the only stream the host reads a body from, for JSON, form and multipart
/// parsing alike. A body declared larger than the cap is refused before a byte is read; one
/// that grows past it (chunks) ends at the cap, and check() refuses it.
class RequestBody : public std::istream
{
public:
    static constexpr std::size_t LIMIT = 64 * 1024 * 1024;

    explicit RequestBody(Poco::Net::HTTPServerRequest& request, std::size_t limit = LIMIT);
    /// Throws RequestError 413 when Content-Length is larger than the limit. A request with
    /// neither a length nor chunks has an empty body (reading on would wait for the client to
    /// close the connection).

    bool exceeded() const { return _buffer.exceeded(); }
    /// True once the client sent more than the limit.
    void check() const;
    /// Throws RequestError 413, naming the limit, when the body exceeded it.
    std::string readAll();
    /// The whole body. Throws RequestError 413 when it exceeds the limit.

    std::size_t limit() const { return _buffer.limit(); }

private:
    class Buffer : public std::streambuf
    {
    public:
        Buffer(std::istream* source, std::size_t limit);
        bool exceeded() const { return _exceeded; }
        std::size_t limit() const { return _limit; }

    protected:
        int_type underflow() override;

    private:
        std::istream* _source;
        std::size_t _limit;
        std::size_t _read = 0;
        bool _exceeded = false;
        char _chunk[65536];
    };

    Buffer _buffer;
};
} // namespace CrmHost

#endif
