#include "FakeHttpServer.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <zlib.h>

namespace greenpulse::test {

// Independent of the writer's gzip code on purpose: zlib's inflate with gzip decoding.
QByteArray gunzip(const QByteArray &data, bool *ok)
{
    z_stream zs{};
    QByteArray out;
    bool good = inflateInit2(&zs, 31) == Z_OK;
    if (good) {
        zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
        zs.avail_in = static_cast<uInt>(data.size());
        char chunk[16384];
        int rc = Z_OK;
        while (rc == Z_OK) {
            zs.next_out = reinterpret_cast<Bytef *>(chunk);
            zs.avail_out = sizeof chunk;
            rc = inflate(&zs, Z_NO_FLUSH);
            out.append(chunk, static_cast<qsizetype>(sizeof chunk - zs.avail_out));
            if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
                break;
            }
        }
        good = rc == Z_STREAM_END;
        inflateEnd(&zs);
    }
    if (ok) {
        *ok = good;
    }
    return out;
}

FakeHttpServer::FakeHttpServer(QObject *parent) : QObject(parent), m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &FakeHttpServer::onNewConnection);
}

FakeHttpServer::~FakeHttpServer() = default;

bool FakeHttpServer::listen()
{
    m_clock.start();
    return m_server->listen(QHostAddress::LocalHost, 0);
}

quint16 FakeHttpServer::port() const
{
    return m_server->serverPort();
}

QString FakeHttpServer::url() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(port());
}

void FakeHttpServer::enqueue(int status, const QByteArray &body,
                             const QList<QPair<QByteArray, QByteArray>> &headers)
{
    m_script.push_back(Response{status, headers, body});
}

void FakeHttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }
}

void FakeHttpServer::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    for (;;) {
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0) {
            return;
        }
        Request request;
        const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        request.method = requestLine.value(0);
        request.target = requestLine.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0) {
                request.headers.insert(lines[i].left(colon).trimmed().toLower(),
                                       lines[i].mid(colon + 1).trimmed());
            }
        }
        const qsizetype length = request.headers.value("content-length", "0").toLongLong();
        if (buffer.size() < headerEnd + 4 + length) {
            return; // body not complete yet
        }
        request.rawBody = buffer.mid(headerEnd + 4, length);
        buffer.remove(0, headerEnd + 4 + length);
        request.body = request.headers.value("content-encoding") == "gzip"
                           ? gunzip(request.rawBody, &request.gzipOk)
                           : request.rawBody;
        request.receivedMs = m_clock.elapsed();
        m_requests.append(request);

        Response response = m_default;
        if (!m_script.empty()) {
            response = m_script.front();
            m_script.pop_front();
        }
        QByteArray out = "HTTP/1.1 " + QByteArray::number(response.status) + " Scripted\r\n";
        for (const auto &header : response.headers) {
            out += header.first + ": " + header.second + "\r\n";
        }
        if (!response.body.isEmpty()) {
            out += "Content-Type: application/json\r\n";
        }
        out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n\r\n";
        out += response.body;
        socket->write(out);
    }
}

} // namespace greenpulse::test
