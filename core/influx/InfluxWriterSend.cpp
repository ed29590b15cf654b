#include "base/Logging.h"
#include "influx/InfluxWriter_p.h"

namespace greenpulse::core {

using namespace influxhttp;

void InfluxWriter::Impl::trySend()
{
    if (!started || !options.enabled() || authStopped || request != Request::None ||
        retryTimer->isActive() || !spool.isOpen() || !lease->mayWrite()) {
        return;
    }
    while (!spool.isEmpty()) {
        inFlight = spool.head();
        const bool readable = spool.read(&inFlight, &inFlightBody);
        status.pointsDropped += spool.takeLostLines(); // of a file cut short
        if (readable) {
            sendWrite();
            return;
        }
        logProblem(QStringLiteral("Unreadable spool batch %1 skipped").arg(inFlight.seq));
        status.pointsDropped += static_cast<quint64>(inFlight.lines);
        spool.remove(inFlight.seq);
    }
    publish();
}

void InfluxWriter::Impl::sendWrite()
{
    // The whole batch in one request: HttpConnection writes it at once with TCP_NODELAY.
    HttpRequest req = writeRequest(options);
    req.body = inFlightBody;
    if (options.gzip) {
        QByteArray compressed = gzipCompress(inFlightBody);
        if (!compressed.isEmpty()) {
            req.body = std::move(compressed);
            req.headers.append({QByteArray("Content-Encoding"), QByteArray("gzip")});
        }
    }
    if (inFlight.seq == failedSeq) {
        status.pointsRetried += static_cast<quint64>(inFlight.lines);
    }
    post(req, Request::Write);
}

void InfluxWriter::Impl::post(const HttpRequest &req, Request kind)
{
    request = kind;
    http->send(req);
}

void InfluxWriter::Impl::sendCreateDatabase()
{
    qCInfo(lcInflux) << "Database" << options.database << "not found; creating it";
    createTried = true;
    post(createDatabaseRequest(options), Request::CreateDatabase);
}

void InfluxWriter::Impl::onFinished(const HttpResponse &response)
{
    const Request kind = request;
    request = Request::None;
    if (kind == Request::None) {
        return;
    }
    Reply answer;
    answer.code = response.status;
    answer.body = response.body;
    answer.retryAfterMs = parseRetryAfter(response.header("Retry-After"));
    if (answer.code > 0) {
        QString message = serverMessage(answer.body);
        if (message.isEmpty()) {
            message = QString::fromLatin1(response.reason).trimmed();
        }
        answer.why = influxhttp::sanitize(
            options, QStringLiteral("HTTP %1: %2").arg(answer.code).arg(message));
    } else {
        answer.why = influxhttp::sanitize(options, response.error);
    }
    if (kind == Request::Write) {
        onWriteFinished(answer);
    } else if (answer.code >= 200 && answer.code < 300) {
        qCInfo(lcInflux) << "Created database" << options.database;
        trySend();
    } else {
        retryLater(QStringLiteral("database %1 not found and could not be created (%2)")
                       .arg(options.database, answer.why),
                   answer.retryAfterMs);
    }
}

void InfluxWriter::Impl::onWriteFinished(const Reply &answer)
{
    const Spool::Batch batch = inFlight;
    const int code = answer.code;
    if (code >= 200 && code < 300) {
        if (failing) {
            qCInfo(lcInflux) << "InfluxDB accepts writes again;" << spool.lines()
                             << "points in the spool";
        }
        status.pointsWritten += static_cast<quint64>(batch.lines);
        failing = false;
        backoff.reset();
        createTried = false;
        status.lastError.clear();
        spool.remove(batch.seq);
    } else if (code == 404 && options.api == InfluxOptions::Api::V1 && !createTried &&
               answer.body.contains("database not found")) {
        sendCreateDatabase();
        return;
    } else if (code == 401 || code == 403) {
        authStopped = true;
        status.lastError = QStringLiteral("InfluxDB refused the credentials (%1); writing "
                                          "stopped until they change")
                               .arg(answer.why);
        qCWarning(lcInflux).noquote() << status.lastError;
        publish();
        return;
    } else if (code == 400 || code == 413 || code == 422) {
        // Retrying would fail the same way and block everything behind it: set the batch aside.
        QString fileError;
        spool.reject(batch, inFlightBody, &fileError);
        status.pointsRejected += static_cast<quint64>(batch.lines);
        status.lastError =
            QStringLiteral("InfluxDB refused %1 points (%2)").arg(batch.lines).arg(answer.why);
        logProblem(status.lastError + QStringLiteral("; kept in ") + spool.rejectedPath());
        if (!fileError.isEmpty()) {
            logProblem(fileError);
        }
    } else {
        failedSeq = batch.seq;
        retryLater(QStringLiteral("InfluxDB write failed (%1)").arg(answer.why),
                   answer.retryAfterMs);
        return;
    }
    inFlightBody.clear();
    // Next batch from the event loop, so that a long spool does not recurse.
    QTimer::singleShot(0, q, [this] { trySend(); });
    publish();
}

void InfluxWriter::Impl::retryLater(const QString &error, int retryAfterMs)
{
    failing = true;
    createTried = false;
    status.lastError = error;
    logProblem(error + QStringLiteral("; points stay in the spool"));
    retryTimer->start(backoff.next(retryAfterMs));
    publish();
}

void InfluxWriter::Impl::abortRequest()
{
    http->abort(); // no finished() for it
    request = Request::None;
    inFlightBody.clear();
}

} // namespace greenpulse::core
