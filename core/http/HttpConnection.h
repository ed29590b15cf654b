#pragma once

// A small HTTP/1.1 client on one persistent connection (http: QTcpSocket, https: QSslSocket with
// the system's CA certificates), one request at a time: what InfluxWriter needs and no more.
//
// Why not QNetworkAccessManager: Qt's HTTP/1.1 code writes a request body in pieces of at most
// 16 KiB and does not set TCP_NODELAY, so a body larger than that waits for the server's delayed
// ACK (~40 ms on Linux) on every request. Here the socket has TCP_NODELAY and the request line,
// headers and body go out in one write.
//
// - The connection is kept alive between requests to the same scheme, host and port, and closed
//   after a response with "Connection: close" (or HTTP/1.0 without keep-alive).
// - Responses (read by HttpResponseReader): body by Content-Length, chunked, or up to the close;
//   none for HEAD, 204 and 304; interim 1xx (100 Continue) skipped. A body larger than
//   maxResponseBytes fails the request (and closes the connection).
// - Timeout: the request fails when nothing is sent or received for timeoutMs (the transfer
//   timeout of QNetworkRequest::setTransferTimeout()).
// - A request that fails on a reused connection before any byte of the answer arrived (the server
//   had closed the idle connection) is sent once more on a new connection. Only for idempotent
//   requests: InfluxDB writes are (a point with the same series and timestamp overwrites itself).

#include "http/HttpResponseReader.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QUrl>

class QTcpSocket;
class QTimer;

namespace greenpulse::core {

struct HttpRequest
{
    QByteArray method = "POST";
    QUrl url; // http:// or https://; any user:password@ in it is ignored (never sent, never logged)
    // Sent as given; Host, Content-Length, User-Agent and Connection are added.
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
};

class HttpConnection : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDefaultTimeoutMs = 30000;
    static constexpr qint64 kDefaultMaxResponseBytes = 1024 * 1024;

    explicit HttpConnection(QObject *parent = nullptr);
    ~HttpConnection() override;

    void setTimeout(int ms);
    void setMaxResponseBytes(qint64 bytes);
    // Sends `request`; finished() follows exactly once (unless abort() comes first). A request
    // already in flight is aborted first.
    void send(const HttpRequest &request);
    bool isBusy() const { return m_busy; }
    // Drops the request in flight (no finished()) and closes the connection.
    void abort();

    bool isConnected() const;
    int connectionsOpened() const { return m_connectionsOpened; }

signals:
    // Emitted once per send(); the connection is idle again and may send() from the slot.
    void finished(const greenpulse::core::HttpResponse &response);

private:
    void startAttempt();
    void openSocket();
    void writeRequest();
    void onReadyRead();
    void onSocketClosed(const QString &why);
    void onTimeout();
    void progress();
    void fail(const QString &error, bool retryable);
    void finish(HttpResponse response, bool close);
    void deliver(const HttpResponse &response);
    void dropSocket();
    QString peerName() const;

    QTcpSocket *m_socket = nullptr;
    QTimer *m_timer = nullptr;
    QString m_peerKey; // scheme://host:port of m_socket
    int m_timeoutMs = kDefaultTimeoutMs;
    qint64 m_maxResponseBytes = kDefaultMaxResponseBytes;
    int m_connectionsOpened = 0;

    HttpRequest m_request;
    QByteArray m_out; // request line, headers and body, as written
    HttpResponseReader m_reader;
    bool m_busy = false;
    bool m_reused = false;    // this attempt went out on a connection that served before
    bool m_retried = false;   // the one transparent retry on a new connection is used
    bool m_gotAnswer = false; // a byte of the answer arrived in this attempt
    bool m_sending = false;   // inside send(): finished() is queued, never emitted from it
    quint64 m_generation = 0; // counts send() and abort(), to drop a stale queued finished()
};

} // namespace greenpulse::core
