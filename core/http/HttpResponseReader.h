#pragma once

// Reads one HTTP/1.1 answer from the bytes of a connection as they arrive: status line, headers,
// and a body delimited by Content-Length, Transfer-Encoding: chunked or the end of the connection.
// No body for HEAD, 204 and 304; interim 1xx answers (100 Continue) are skipped. A body larger
// than the bound, a head over 64 KiB or anything malformed fails the answer. HttpConnection's
// parser, kept apart from its socket handling.

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>

namespace greenpulse::core {

struct HttpResponse
{
    int status = 0; // the HTTP status; 0 when there is no complete answer (see error)
    QByteArray reason;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QString error; // with status 0: connect, TLS, timeout, reset, malformed or oversize answer

    // The first header of that name (case-insensitive), or a null QByteArray.
    QByteArray header(const QByteArray &name) const;
};

class HttpResponseReader
{
public:
    enum class Step { More, Done, Failed };

    // Starts reading a new answer. `head`: it answers a HEAD request (never a body).
    void start(bool head, qint64 maxBodyBytes);
    // Takes the next bytes of the connection: Done once the answer is complete, Failed (see
    // error()) when it cannot be read.
    Step feed(const QByteArray &data);
    // The body runs until the connection ends: its end completes the answer.
    bool endsWithClose() const { return m_state == State::UntilClose; }
    // After Done: the connection must be closed (Connection: close, HTTP/1.0 without keep-alive,
    // or bytes after the answer that nobody asked for).
    bool mustClose() const { return m_closeAfter || !m_in.isEmpty(); }
    const QString &error() const { return m_error; }
    HttpResponse take();

private:
    enum class State {
        StatusLine,
        Headers,
        Body,       // Content-Length bytes
        UntilClose, // no length given: the body ends with the connection
        ChunkSize,
        ChunkData,
        Trailers,
        Complete,
    };

    bool readLine(const QByteArray &line);
    bool startBody();
    bool takeBody(qint64 bytes);
    bool malformed(const QString &what);
    bool tooLarge(qint64 bytes);

    State m_state = State::StatusLine;
    bool m_head = false;
    bool m_http10 = false;
    bool m_closeAfter = false;
    qint64 m_maxBodyBytes = 0;
    qint64 m_headBytes = 0; // status line and headers so far
    qint64 m_remaining = 0; // body or chunk bytes still to come; -1: a chunk's CRLF
    QByteArray m_in;
    HttpResponse m_response;
    QString m_error;
};

} // namespace greenpulse::core

Q_DECLARE_METATYPE(greenpulse::core::HttpResponse)
