#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <deque>

class QTcpServer;
class QTcpSocket;

namespace greenpulse::test {

// A tiny scripted HTTP/1.1 server on a free loopback port. It is a fake that stands in for
// InfluxDB only where a real server cannot be made to fail on demand (400, 401, 429 with
// Retry-After, 503) and for the HTTP client's own tests, where it misbehaves on purpose (closes
// kept-alive connections, never answers, answers too much): the tests of real behaviour use
// influxd and VictoriaMetrics. It answers scripted responses in order (then the default
// response) and records every request.
class FakeHttpServer : public QObject
{
    Q_OBJECT
public:
    enum class Action {
        Answer,             // the response below
        CloseWithoutAnswer, // close the connection once the request is in
        NoAnswer,           // keep the connection open and say nothing
    };
    struct Response
    {
        int status = 204;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
        Action action = Action::Answer;
        bool chunked = false; // body as Transfer-Encoding: chunked, in chunks of 7 bytes
        bool close = false;   // "Connection: close", then close the connection
        QByteArray raw;       // when set, sent as is instead of status, headers and body
    };
    struct Request
    {
        QByteArray method;
        QByteArray target;                     // path + query, as sent
        QHash<QByteArray, QByteArray> headers; // names in lower case
        QByteArray rawBody;
        QByteArray body;       // gunzipped when Content-Encoding: gzip
        bool gzipOk = true;    // false when the gzip body did not decompress
        qint64 receivedMs = 0; // since the server started
    };

    explicit FakeHttpServer(QObject *parent = nullptr);
    ~FakeHttpServer() override;

    bool listen(); // on 127.0.0.1, a free port
    // The same with TLS (https://): certificate and key in PEM files.
    bool listenTls(const QString &certFile, const QString &keyFile);
    quint16 port() const;
    QString url() const;

    void enqueue(const Response &response) { m_script.push_back(response); }
    void enqueue(int status, const QByteArray &body = {},
                 const QList<QPair<QByteArray, QByteArray>> &headers = {});
    void setDefault(const Response &response) { m_default = response; }
    void setDefault(int status)
    {
        m_default = Response{};
        m_default.status = status;
    }
    static Response misbehave(Action action)
    {
        Response response;
        response.action = action;
        return response;
    }

    const QList<Request> &requests() const { return m_requests; }
    int requestCount() const { return static_cast<int>(m_requests.size()); }
    int connectionCount() const { return m_connections; } // accepted so far
    int openConnections() const { return static_cast<int>(m_buffers.size()); }
    // Closes every open connection, as a server does with idle kept-alive connections.
    void closeConnections();

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    static QByteArray render(const Response &response);

    QTcpServer *m_server = nullptr;
    bool m_tls = false;
    std::deque<Response> m_script;
    Response m_default;
    QList<Request> m_requests;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QElapsedTimer m_clock;
    int m_connections = 0;
};

QByteArray gunzip(const QByteArray &data, bool *ok = nullptr);

} // namespace greenpulse::test
