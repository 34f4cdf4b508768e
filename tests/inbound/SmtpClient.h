#ifndef CrmHostTests_SmtpClient_INCLUDED
#define CrmHostTests_SmtpClient_INCLUDED

#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocket.h>
#include <string>
#include <vector>

namespace CrmHostTests
{
/// A plain SMTP client on 127.0.0.1 that says exactly what it is told (no stuffing but in send()),
/// for tests of an SMTP server: the host's listener, a private Postfix.
class SmtpClient
{
public:
    explicit SmtpClient(Poco::UInt16 port) : _socket(Poco::Net::SocketAddress("127.0.0.1", port))
    {
        _socket.setReceiveTimeout(Poco::Timespan(60, 0));
        _greeting = reply();
    }

    const std::string& greeting() const { return _greeting; }

    std::string reply()
    /// The next reply, all its lines; "" when the server closed the connection.
    {
        std::string all;
        while (true)
        {
            std::string line = readLine();
            if (line.empty())
                return all;
            all += line;
            if (line.size() < 4 || line[3] != '-')
                return all;
        }
    }

    void write(const std::string& bytes)
    {
        std::size_t done = 0;
        while (done < bytes.size())
            done += std::size_t(_socket.sendBytes(bytes.data() + done, int(bytes.size() - done)));
    }

    std::string command(const std::string& line)
    {
        write(line + "\r\n");
        return reply();
    }

    /// EHLO, MAIL FROM, one RCPT TO each, DATA with the message (dot-stuffed here): the last reply.
    std::string send(const std::string& sender, const std::vector<std::string>& recipients,
                     const std::string& message)
    {
        command("EHLO test.client");
        std::string answer = command("MAIL FROM:<" + sender + ">");
        if (answer.substr(0, 3) != "250")
            return answer;
        for (const auto& recipient : recipients)
            command("RCPT TO:<" + recipient + ">");
        answer = command("DATA");
        if (answer.substr(0, 3) != "354")
            return answer;
        std::string stuffed;
        std::size_t start = 0;
        while (start < message.size())
        {
            std::size_t eol = message.find("\r\n", start);
            std::string line =
                message.substr(start, eol == std::string::npos ? std::string::npos : eol - start);
            stuffed += (line.empty() || line[0] != '.' ? "" : ".") + line + "\r\n";
            start = eol == std::string::npos ? message.size() : eol + 2;
        }
        write(stuffed + ".\r\n");
        return reply();
    }

    void close() { _socket.close(); }

private:
    std::string readLine()
    {
        std::string line;
        while (line.empty() || line.back() != '\n')
        {
            char c = 0;
            int got = 0;
            try
            {
                got = _socket.receiveBytes(&c, 1);
            }
            catch (const Poco::Net::ConnectionResetException&)
            {
                got = 0;
            }
            if (got <= 0)
                return line;
            line += c;
        }
        return line;
    }

    Poco::Net::StreamSocket _socket;
    std::string _greeting;
};

} // namespace CrmHostTests

#endif
