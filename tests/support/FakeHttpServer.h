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
// Retry-After, 503): the tests of real behaviour use influxd and VictoriaMetrics. It answers
// scripted responses in order (then the default response) and records every request.
class FakeHttpServer : public QObject
{
    Q_OBJECT
public:
    struct Response
    {
        int status = 204;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
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
    quint16 port() const;
    QString url() const;

    void enqueue(const Response &response) { m_script.push_back(response); }
    void enqueue(int status, const QByteArray &body = {},
                 const QList<QPair<QByteArray, QByteArray>> &headers = {});
    void setDefault(const Response &response) { m_default = response; }
    void setDefault(int status) { m_default = Response{status, {}, {}}; }

    const QList<Request> &requests() const { return m_requests; }
    int requestCount() const { return static_cast<int>(m_requests.size()); }

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);

    QTcpServer *m_server = nullptr;
    std::deque<Response> m_script;
    Response m_default;
    QList<Request> m_requests;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QElapsedTimer m_clock;
};

QByteArray gunzip(const QByteArray &data, bool *ok = nullptr);

} // namespace greenpulse::test
