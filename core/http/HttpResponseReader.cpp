#include "http/HttpResponseReader.h"

#include <utility>

namespace greenpulse::core {

namespace {

constexpr qint64 kMaxHeadBytes = 64 * 1024; // status line and headers of one answer

// A comma-separated header value holds `token` (case-insensitive).
bool hasToken(const QByteArray &value, const char *token)
{
    const QList<QByteArray> parts = value.split(',');
    for (const QByteArray &part : parts) {
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0) {
            return true;
        }
    }
    return false;
}

} // namespace

QByteArray HttpResponse::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0) {
            return h.second;
        }
    }
    return {};
}

void HttpResponseReader::start(bool head, qint64 maxBodyBytes)
{
    *this = HttpResponseReader();
    m_head = head;
    m_maxBodyBytes = maxBodyBytes;
}

HttpResponse HttpResponseReader::take()
{
    HttpResponse response = std::move(m_response);
    m_response = {};
    return response;
}

HttpResponseReader::Step HttpResponseReader::feed(const QByteArray &data)
{
    m_in += data;
    for (;;) {
        switch (m_state) {
        case State::StatusLine:
        case State::Headers:
        case State::Trailers:
        case State::ChunkSize: {
            const qsizetype eol = m_in.indexOf('\n');
            const qint64 lineBytes = eol < 0 ? m_in.size() : eol + 1;
            if (m_headBytes + lineBytes > kMaxHeadBytes) {
                malformed(QStringLiteral("head longer than %1 bytes").arg(kMaxHeadBytes));
                return Step::Failed;
            }
            if (eol < 0) {
                return Step::More;
            }
            m_headBytes += lineBytes;
            QByteArray line = m_in.left(eol);
            m_in.remove(0, eol + 1);
            if (line.endsWith('\r')) {
                line.chop(1);
            }
            if (!readLine(line)) {
                return Step::Failed;
            }
            break;
        }
        case State::Body:
        case State::UntilClose:
        case State::ChunkData: {
            const bool all = m_state == State::UntilClose;
            if (!takeBody(all ? m_in.size() : qMin<qint64>(m_in.size(), m_remaining))) {
                return Step::Failed;
            }
            if (all || m_remaining > 0) {
                return Step::More;
            }
            if (m_state == State::Body) {
                m_state = State::Complete;
            } else {
                m_state = State::ChunkSize; // reads the CRLF after the data as an empty line
                m_remaining = -1;
            }
            break;
        }
        case State::Complete:
            return Step::Done;
        }
    }
}

bool HttpResponseReader::takeBody(qint64 bytes)
{
    if (m_response.body.size() + bytes > m_maxBodyBytes) {
        return tooLarge(m_response.body.size() + bytes);
    }
    m_response.body += m_in.left(bytes);
    m_in.remove(0, bytes);
    m_remaining -= bytes;
    return true;
}

bool HttpResponseReader::readLine(const QByteArray &line)
{
    switch (m_state) {
    case State::StatusLine: {
        // HTTP/1.1 204 No Content
        bool ok = line.startsWith("HTTP/1.") && line.size() >= 12 && line.at(8) == ' ' &&
                  (line.size() == 12 || line.at(12) == ' ');
        const int code = ok ? line.mid(9, 3).toInt(&ok) : 0;
        if (!ok || code < 100) {
            return malformed(QStringLiteral("bad status line"));
        }
        m_http10 = line.at(7) == '0';
        m_response.status = code;
        m_response.reason = line.mid(13);
        m_state = State::Headers;
        return true;
    }
    case State::Headers:
        if (line.isEmpty()) {
            return startBody();
        }
        if ((line.at(0) == ' ' || line.at(0) == '\t') && !m_response.headers.isEmpty()) {
            m_response.headers.last().second += ' ' + line.trimmed(); // obsolete line folding
            return true;
        }
        if (const qsizetype colon = line.indexOf(':'); colon > 0) {
            m_response.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
            return true;
        }
        return malformed(QStringLiteral("bad header line"));
    case State::ChunkSize: {
        if (m_remaining == -1) { // the CRLF that ends a chunk's data
            m_remaining = 0;
            return line.isEmpty() || malformed(QStringLiteral("bad chunk end"));
        }
        const qsizetype semicolon = line.indexOf(';'); // chunk extensions are ignored
        bool ok = false;
        const qint64 size =
            line.left(semicolon < 0 ? line.size() : semicolon).trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0) {
            return malformed(QStringLiteral("bad chunk size"));
        }
        if (m_response.body.size() + size > m_maxBodyBytes) {
            return tooLarge(m_response.body.size() + size);
        }
        m_headBytes = 0; // the bound is per line here, not per answer
        m_remaining = size;
        m_state = size == 0 ? State::Trailers : State::ChunkData;
        return true;
    }
    case State::Trailers:
        if (line.isEmpty()) {
            m_state = State::Complete;
        }
        return true;
    default:
        return true;
    }
}

// The head is complete: how is the body delimited?
bool HttpResponseReader::startBody()
{
    const int code = m_response.status;
    if (code < 200) {
        if (code == 101) {
            return malformed(QStringLiteral("unexpected protocol switch (101)"));
        }
        m_response = {}; // an interim answer (100 Continue): the real one follows
        m_headBytes = 0;
        m_state = State::StatusLine;
        return true;
    }
    const QByteArray connection = m_response.header("Connection");
    m_closeAfter =
        hasToken(connection, "close") || (m_http10 && !hasToken(connection, "keep-alive"));
    if (m_head || code == 204 || code == 304) {
        m_state = State::Complete;
        return true;
    }
    const QByteArray encoding = m_response.header("Transfer-Encoding").trimmed().toLower();
    const QByteArray length = m_response.header("Content-Length");
    if (encoding.endsWith("chunked")) {
        m_remaining = 0;
        m_state = State::ChunkSize;
        return true;
    }
    if (!encoding.isEmpty() || length.isNull()) {
        m_closeAfter = true;
        m_state = State::UntilClose;
        return true;
    }
    bool ok = false;
    m_remaining = length.trimmed().toLongLong(&ok);
    if (!ok || m_remaining < 0) {
        return malformed(QStringLiteral("bad Content-Length"));
    }
    if (m_remaining > m_maxBodyBytes) {
        return tooLarge(m_remaining);
    }
    m_state = m_remaining == 0 ? State::Complete : State::Body;
    return true;
}

bool HttpResponseReader::malformed(const QString &what)
{
    m_error = QStringLiteral("malformed answer: ") + what;
    return false;
}

bool HttpResponseReader::tooLarge(qint64 bytes)
{
    m_error = QStringLiteral("HTTP %1 answer body too large (at least %2 bytes, at most %3 "
                             "accepted): refused")
                  .arg(m_response.status)
                  .arg(bytes)
                  .arg(m_maxBodyBytes);
    return false;
}

} // namespace greenpulse::core
