// HttpConnection (InfluxWriter's HTTP/1.1 client) against FakeHttpServer, which misbehaves on
// purpose: closes kept-alive connections, never answers, answers too much.
#include "FakeHttpServer.h"
#include "TestCertificates.h"
#include "TestSupport.h"
#include "http/HttpConnection.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <gtest/gtest.h>
#include <optional>

using namespace greenpulse;
using core::HttpConnection;
using core::HttpRequest;
using core::HttpResponse;
using Server = test::FakeHttpServer;

namespace {

HttpRequest post(const Server &server, const QByteArray &body, const char *path = "/write")
{
    HttpRequest request;
    request.url = QUrl(server.url() + QLatin1String(path));
    request.headers.append({QByteArray("Content-Type"), QByteArray("text/plain; charset=utf-8")});
    request.body = body;
    return request;
}

// Sends and waits for finished(); counts how often it came.
struct Client
{
    HttpConnection connection;
    QList<HttpResponse> answers;

    Client()
    {
        QObject::connect(&connection, &HttpConnection::finished,
                         [this](const HttpResponse &response) { answers.append(response); });
    }
    std::optional<HttpResponse> exchange(const HttpRequest &request, int timeoutMs = 10000)
    {
        const auto before = answers.size();
        connection.send(request);
        if (!test::waitUntil([&] { return answers.size() > before; }, timeoutMs)) {
            return std::nullopt;
        }
        return answers.last();
    }
    // The connection (or a new one) serves another request: the fake server's default 204.
    ::testing::AssertionResult servesAnother(const Server &server, const QByteArray &body)
    {
        const auto answer = exchange(post(server, body));
        if (!answer) {
            return ::testing::AssertionFailure() << "no answer";
        }
        if (answer->status != 204) {
            return ::testing::AssertionFailure()
                   << "HTTP " << answer->status << " " << answer->error.toStdString();
        }
        return ::testing::AssertionSuccess();
    }
};

} // namespace

TEST(HttpConnection, KeepAliveServesTwoRequestsOnOneConnection)
{
    Server server;
    ASSERT_TRUE(server.listen());
    server.enqueue(204);
    server.enqueue(200, R"({"results":[]})");
    Client client;
    const auto first = client.exchange(post(server, "a value=1 1\n"));
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, 204);
    EXPECT_TRUE(first->error.isEmpty());
    EXPECT_TRUE(client.connection.isConnected());
    const auto second = client.exchange(post(server, "a value=2 2\n", "/query?q=x%20y"));
    ASSERT_TRUE(second);
    EXPECT_EQ(second->status, 200);
    EXPECT_EQ(second->body, QByteArray(R"({"results":[]})"));
    EXPECT_EQ(second->header("content-type"), QByteArray("application/json"));

    EXPECT_EQ(server.connectionCount(), 1);
    EXPECT_EQ(client.connection.connectionsOpened(), 1);
    ASSERT_EQ(server.requestCount(), 2);
    const auto &r = server.requests()[1];
    EXPECT_EQ(r.method, QByteArray("POST"));
    EXPECT_EQ(r.target, QByteArray("/query?q=x%20y"));
    EXPECT_EQ(r.body, QByteArray("a value=2 2\n"));
    EXPECT_EQ(r.headers.value("host"),
              QByteArray("127.0.0.1:") + QByteArray::number(server.port()));
    EXPECT_EQ(r.headers.value("content-length"), QByteArray("12"));
    EXPECT_EQ(r.headers.value("content-type"), QByteArray("text/plain; charset=utf-8"));
    EXPECT_TRUE(r.headers.value("user-agent").startsWith("GreenPulse/"));
    EXPECT_EQ(client.answers.size(), 2);
}

TEST(HttpConnection, ChunkedAnswerWithExtensionsAndTrailers)
{
    Server server;
    ASSERT_TRUE(server.listen());
    Server::Response chunked;
    chunked.status = 400;
    chunked.body = R"({"error":"unable to parse 'x': missing fields"})";
    chunked.chunked = true;
    server.enqueue(chunked);
    Client client;
    const auto answer = client.exchange(post(server, "x\n"));
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 400);
    EXPECT_EQ(answer->reason, QByteArray("Scripted"));
    EXPECT_EQ(answer->body, chunked.body);
    // The connection stays usable after a chunked answer.
    ASSERT_TRUE(client.servesAnother(server, "y\n"));
    EXPECT_EQ(server.connectionCount(), 1);
}

TEST(HttpConnection, InterimContinueIsSkippedAndBodyMayEndWithTheConnection)
{
    Server server;
    ASSERT_TRUE(server.listen());
    Server::Response interim;
    interim.raw = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nX-Id: 1\r\n\r\n";
    server.enqueue(interim);
    Server::Response http10;
    http10.raw = "HTTP/1.0 503 Service Unavailable\r\nRetry-After: 2\r\n\r\noverloaded";
    http10.close = true;
    server.enqueue(http10);
    Client client;
    const auto first = client.exchange(post(server, "a\n"));
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, 204);
    EXPECT_EQ(first->header("X-Id"), QByteArray("1"));
    const auto second = client.exchange(post(server, "b\n"));
    ASSERT_TRUE(second);
    EXPECT_EQ(second->status, 503);
    EXPECT_EQ(second->reason, QByteArray("Service Unavailable"));
    EXPECT_EQ(second->header("retry-after"), QByteArray("2"));
    EXPECT_EQ(second->body, QByteArray("overloaded"));
}

// The server closed the kept-alive connection while it was idle: the next request goes out on a
// new connection, with nothing reported.
TEST(HttpConnection, IdleConnectionClosedByTheServerIsReplaced)
{
    Server server;
    ASSERT_TRUE(server.listen());
    Client client;
    ASSERT_TRUE(client.exchange(post(server, "a\n")));
    server.closeConnections();
    ASSERT_TRUE(test::waitUntil([&] { return !client.connection.isConnected(); }, 5000));
    const auto answer = client.exchange(post(server, "b\n"));
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 204) << answer->error.toStdString();
    EXPECT_EQ(server.connectionCount(), 2);
    EXPECT_EQ(server.requestCount(), 2);
}

// The race: the server drops the kept-alive connection just as the next request arrives, before
// answering. The request is sent once more on a new connection, transparently.
TEST(HttpConnection, RequestLostOnAReusedConnectionIsSentAgainOnANewOne)
{
    Server server;
    ASSERT_TRUE(server.listen());
    server.enqueue(204);
    server.enqueue(Server::misbehave(Server::Action::CloseWithoutAnswer));
    server.enqueue(200, "ok");
    Client client;
    ASSERT_TRUE(client.exchange(post(server, "a\n")));
    const auto answer = client.exchange(post(server, "b\n"));
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 200) << answer->error.toStdString();
    EXPECT_EQ(answer->body, QByteArray("ok"));
    EXPECT_EQ(client.answers.size(), 2);
    EXPECT_EQ(server.connectionCount(), 2);
    ASSERT_EQ(server.requestCount(), 3);
    EXPECT_EQ(server.requests()[2].body, QByteArray("b\n"));
}

// On a new connection the same loss is an error (no retry loop), and so is a refused connection.
TEST(HttpConnection, ConnectionClosedWithoutAnswerOnANewConnectionIsAnError)
{
    Server server;
    ASSERT_TRUE(server.listen());
    server.enqueue(Server::misbehave(Server::Action::CloseWithoutAnswer));
    Client client;
    const auto answer = client.exchange(post(server, "a\n"));
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 0);
    EXPECT_FALSE(answer->error.isEmpty());
    EXPECT_EQ(server.requestCount(), 1);

    HttpRequest nobody;
    nobody.url = QUrl(QStringLiteral("http://127.0.0.1:%1/write").arg(test::freePort()));
    const auto refused = client.exchange(nobody);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 0);
    EXPECT_TRUE(refused->error.contains(QStringLiteral("refused"), Qt::CaseInsensitive))
        << refused->error.toStdString();
}

TEST(HttpConnection, NoAnswerTimesOutAndTheNextRequestWorks)
{
    Server server;
    ASSERT_TRUE(server.listen());
    server.enqueue(Server::misbehave(Server::Action::NoAnswer));
    Client client;
    client.connection.setTimeout(300);
    QElapsedTimer timer;
    timer.start();
    const auto answer = client.exchange(post(server, "a\n"));
    ASSERT_TRUE(answer);
    EXPECT_GE(timer.elapsed(), 250); // a coarse timer may fire up to 5 % early
    EXPECT_LT(timer.elapsed(), 3000);
    EXPECT_EQ(answer->status, 0);
    EXPECT_TRUE(answer->error.contains(QStringLiteral("timeout"))) << answer->error.toStdString();
    EXPECT_FALSE(client.connection.isConnected()); // a late answer cannot be taken for the next
    ASSERT_TRUE(client.servesAnother(server, "b\n"));
    EXPECT_EQ(server.connectionCount(), 2);
}

TEST(HttpConnection, ConnectionCloseIsHonoured)
{
    Server server;
    ASSERT_TRUE(server.listen());
    Server::Response closing;
    closing.status = 204;
    closing.close = true;
    server.enqueue(closing);
    Client client;
    const auto first = client.exchange(post(server, "a\n"));
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, 204);
    EXPECT_FALSE(client.connection.isConnected());
    const auto second = client.exchange(post(server, "b\n"));
    ASSERT_TRUE(second);
    EXPECT_EQ(second->status, 204);
    EXPECT_EQ(server.connectionCount(), 2);
    EXPECT_EQ(client.connection.connectionsOpened(), 2);
}

TEST(HttpConnection, OversizeAnswerIsRefusedWithAClearError)
{
    Server server;
    ASSERT_TRUE(server.listen());
    server.enqueue(200, QByteArray(HttpConnection::kDefaultMaxResponseBytes + 1, 'x'));
    Server::Response chunked;
    chunked.status = 500;
    chunked.body = QByteArray(5000, 'y');
    chunked.chunked = true;
    server.enqueue(chunked);
    Client client;
    const auto declared = client.exchange(post(server, "a\n"));
    ASSERT_TRUE(declared);
    EXPECT_EQ(declared->status, 0);
    EXPECT_TRUE(declared->body.isEmpty());
    EXPECT_TRUE(declared->error.contains(QStringLiteral("too large")))
        << declared->error.toStdString();
    EXPECT_TRUE(declared->error.contains(QStringLiteral("1048576")));

    client.connection.setMaxResponseBytes(1000);
    const auto streamed = client.exchange(post(server, "b\n"));
    ASSERT_TRUE(streamed);
    EXPECT_EQ(streamed->status, 0);
    EXPECT_TRUE(streamed->error.contains(QStringLiteral("too large")))
        << streamed->error.toStdString();

    ASSERT_TRUE(client.servesAnother(server, "c\n")); // a new connection, fine again
    EXPECT_EQ(server.connectionCount(), 3);
}

TEST(HttpConnection, AbortDropsTheRequestWithoutFinished)
{
    Server server;
    ASSERT_TRUE(server.listen());
    server.enqueue(Server::misbehave(Server::Action::NoAnswer));
    Client client;
    client.connection.send(post(server, "a\n"));
    ASSERT_TRUE(test::waitUntil([&] { return server.requestCount() == 1; }, 5000));
    client.connection.abort();
    EXPECT_FALSE(client.connection.isBusy());
    test::spin(200);
    EXPECT_TRUE(client.answers.isEmpty());
    ASSERT_TRUE(client.servesAnother(server, "b\n"));
    EXPECT_EQ(client.answers.size(), 1);
}

// https: the same client on a QSslSocket, verifying the server against the default CA list.
TEST(HttpConnection, HttpsToATrustedServerKeepsTheConnection)
{
    QTemporaryDir dir;
    const QString error = test::makeCertificates(dir.path());
    ASSERT_TRUE(error.isEmpty()) << error.toStdString();
    Server server;
    ASSERT_TRUE(server.listenTls(dir.filePath(QStringLiteral("server.crt")),
                                 dir.filePath(QStringLiteral("server.key"))));
    ASSERT_TRUE(server.url().startsWith(QStringLiteral("https://")));
    QSslConfiguration trusting = QSslConfiguration::defaultConfiguration();
    ASSERT_TRUE(trusting.addCaCertificates(dir.filePath(QStringLiteral("ca.crt"))));
    test::DefaultTls tls(trusting);
    server.enqueue(204);
    server.enqueue(200, "ok", {{"Connection", "keep-alive"}});
    Client client;
    const auto first = client.exchange(post(server, "a value=1 1\n"));
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, 204) << first->error.toStdString();
    const auto second = client.exchange(post(server, "b value=2 2\n"));
    ASSERT_TRUE(second);
    EXPECT_EQ(second->status, 200) << second->error.toStdString();
    EXPECT_EQ(second->body, QByteArray("ok"));
    EXPECT_EQ(server.connectionCount(), 1);
    ASSERT_EQ(server.requestCount(), 2);
    EXPECT_EQ(server.requests()[1].body, QByteArray("b value=2 2\n"));
}

TEST(HttpConnection, HttpsToAnUntrustedServerIsRefused)
{
    QTemporaryDir dir;
    const QString error = test::makeCertificates(dir.path());
    ASSERT_TRUE(error.isEmpty()) << error.toStdString();
    Server server;
    ASSERT_TRUE(server.listenTls(dir.filePath(QStringLiteral("server.crt")),
                                 dir.filePath(QStringLiteral("server.key"))));
    Client client; // the test CA is not trusted
    const auto answer = client.exchange(post(server, "secret value=1 1\n"));
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 0);
    EXPECT_FALSE(answer->error.isEmpty());
    test::spin(100);
    EXPECT_EQ(server.requestCount(), 0); // nothing was sent to it
}

// ------------------------------------------------------------------ the parser on its own --

TEST(HttpResponseReader, ReadsAnAnswerFedOneByteAtATime)
{
    const QByteArray wire = "HTTP/1.1 100 Continue\r\n\r\n"
                            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
                            "\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\nT: 1\r\n\r\n";
    core::HttpResponseReader reader;
    reader.start(false, 1000);
    for (qsizetype i = 0; i + 1 < wire.size(); ++i) {
        ASSERT_EQ(reader.feed(wire.mid(i, 1)), core::HttpResponseReader::Step::More) << i;
    }
    ASSERT_EQ(reader.feed(wire.right(1)), core::HttpResponseReader::Step::Done);
    EXPECT_TRUE(reader.mustClose());
    const HttpResponse r = reader.take();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.reason, QByteArray("OK"));
    EXPECT_EQ(r.body, QByteArray("hello world"));
}

TEST(HttpResponseReader, NoBodyForHeadAnd204And304)
{
    const auto read = [](bool head, const QByteArray &wire) {
        core::HttpResponseReader reader;
        reader.start(head, 1000);
        const auto step = reader.feed(wire);
        return step == core::HttpResponseReader::Step::Done && !reader.mustClose();
    };
    EXPECT_TRUE(read(true, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"));
    EXPECT_TRUE(read(false, "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n"));
    EXPECT_TRUE(read(false, "HTTP/1.1 304 Not Modified\r\n\r\n"));
    EXPECT_TRUE(
        read(false, "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n"));
    EXPECT_FALSE(read(false, "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")); // 1.0: closes
}

TEST(HttpResponseReader, MalformedAnswersFail)
{
    const QList<QByteArray> wires = {
        "SSH-2.0-OpenSSH\r\n",
        "HTTP/1.1 2x4 Odd\r\n\r\n",
        "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY\r\n",
        "HTTP/1.1 101 Switching Protocols\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX: " + QByteArray(70 * 1024, 'a'),
    };
    for (const QByteArray &wire : wires) {
        core::HttpResponseReader reader;
        reader.start(false, 1000);
        EXPECT_EQ(reader.feed(wire), core::HttpResponseReader::Step::Failed)
            << wire.left(60).constData();
        EXPECT_FALSE(reader.error().isEmpty());
    }
}
