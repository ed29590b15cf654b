#include "influx/InfluxWriter.h"

#include "http/HttpConnection.h"
#include "base/Logging.h"
#include "influx/Spool.h"
#include "influx/SpoolHealth_p.h"
#include "influx/WriterLease.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QTimer>

namespace greenpulse::core {

using namespace influxhttp;

struct InfluxWriter::Impl
{
    enum class Request { None, Write, CreateDatabase };

    InfluxWriter *q = nullptr;
    InfluxOptions options;
    // Children of the writer, so moveToThread() takes them along (with the connection's socket
    // and timer): a member QTimer without a parent would stay on the thread that built the
    // writer and never fire.
    HttpConnection *http = nullptr;
    QTimer *flushTimer = nullptr;
    QTimer *retryTimer = nullptr;
    WriterLease *lease = nullptr; // one writer per database; the others only view
    Spool spool;
    QByteArray pending; // lines not yet spooled, each ending with '\n'
    int pendingLines = 0;

    Request request = Request::None;
    Spool::Batch inFlight;
    QByteArray inFlightBody;
    quint64 failedSeq = 0; // the batch whose last attempt failed, to count retries
    bool started = false;
    bool authStopped = false;
    bool failing = false;
    bool createTried = false; // CREATE DATABASE attempted since the last backoff
    int initialBackoffMs = 500;
    int maxBackoffMs = 30000;
    int backoffMs = 0;

    InfluxStatus status;
    InfluxStatus emitted;
    bool everEmitted = false;
    ProblemLog problems;
    SpoolHealth spoolHealth; // spool writes failing: said once per change, not per attempt

    QString spoolDir() const { return influxhttp::spoolDir(options); }
    void logProblem(const QString &message) { problems.warn(message); }
    void openSpool();
    void spoolPending();
    void dropPending();
    void trySend();
    void sendWrite();
    void sendCreateDatabase();
    void post(const HttpRequest &req, Request kind);
    void onFinished(const HttpResponse &response);
    struct Reply
    {
        int code = 0; // HTTP status, 0 without an HTTP answer
        QByteArray body;
        QString why; // "HTTP <code>: <server message>" or the network error, without secrets
        int retryAfterMs = -1;
    };
    void onWriteFinished(const Reply &answer);
    void retryLater(const QString &error, int retryAfterMs);
    void abortRequest();
    InfluxStatus current() const;
    void publish();
};

void InfluxWriter::Impl::openSpool()
{
    QString error;
    inFlight = {}; // batch numbers start again in another spool
    if (!spool.open(spoolDir(), &error)) {
        status.lastError = error;
        logProblem(error);
        return;
    }
    if (!spool.isEmpty()) {
        qCInfo(lcInflux) << "Spool" << spool.dir() << "holds" << spool.lines() << "points in"
                         << spool.batchCount() << "batches; replaying them first";
    }
}

void InfluxWriter::Impl::spoolPending()
{
    if (pendingLines == 0) {
        return;
    }
    if (!spool.isOpen()) {
        openSpool();
    }
    QString error;
    if (!spool.isOpen() || !spool.append(pending, pendingLines, &error)) {
        status.lastError = error.isEmpty() ? status.lastError : error;
        spoolHealth.failed(status.lastError, options.spoolMaxBytes);
        // Keep the lines in memory and try again at the next flush, within the spool's bound.
        if (pending.size() > options.spoolMaxBytes) {
            dropPending();
        }
        return;
    }
    if (spoolHealth.succeeded()) {
        status.lastError.clear();
    }
    pending.clear();
    pendingLines = 0;
    const quint64 keep = request != Request::None ? inFlight.seq : 0;
    const quint64 dropped = spool.trim(options.spoolMaxBytes, keep);
    if (dropped > 0) {
        status.pointsDropped += dropped;
        logProblem(QStringLiteral("InfluxDB spool full (%1 bytes): dropped the oldest points")
                       .arg(options.spoolMaxBytes));
    }
}

// The lines waiting in memory outgrew the spool's bound while the spool cannot be written.
void InfluxWriter::Impl::dropPending()
{
    spoolHealth.droppedFromMemory(static_cast<quint64>(pendingLines), options.spoolMaxBytes);
    status.pointsDropped += static_cast<quint64>(pendingLines);
    pending.clear();
    pendingLines = 0;
}

void InfluxWriter::Impl::trySend()
{
    if (!started || !options.enabled() || authStopped || request != Request::None ||
        retryTimer->isActive() || !spool.isOpen() || !lease->mayWrite()) {
        return;
    }
    while (!spool.isEmpty()) {
        inFlight = spool.head();
        if (spool.read(inFlight, &inFlightBody)) {
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
        backoffMs = 0;
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
    backoffMs = backoffMs == 0 ? initialBackoffMs : qMin(backoffMs * 2, maxBackoffMs);
    logProblem(error + QStringLiteral("; points stay in the spool"));
    retryTimer->start(retryDelay(backoffMs, retryAfterMs));
    publish();
}

void InfluxWriter::Impl::abortRequest()
{
    http->abort(); // no finished() for it
    request = Request::None;
    inFlightBody.clear();
}

InfluxStatus InfluxWriter::Impl::current() const
{
    InfluxStatus s = status;
    if (!options.enabled()) {
        s.state = InfluxStatus::State::Off;
    } else if (authStopped) {
        s.state = InfluxStatus::State::AuthError;
    } else if (lease->decision() == WriterLease::Decision::Viewing) {
        s.state = InfluxStatus::State::Viewing;
    } else if (failing) {
        s.state = InfluxStatus::State::Spooling;
    } else {
        s.state = InfluxStatus::State::Writing;
    }
    s.pointsQueued = spool.lines() + static_cast<quint64>(pendingLines);
    s.spoolBytes = spool.bytes();
    s.pointsNotWritten = lease->notWritten();
    s.writerNote = lease->note();
    return s;
}

// Emits statusChanged when something differs from what was last emitted; called on batch events,
// never per line.
void InfluxWriter::Impl::publish()
{
    const InfluxStatus s = current();
    if (everEmitted && s == emitted) {
        return;
    }
    if (everEmitted && s.state != emitted.state) {
        qCInfo(lcInflux) << "InfluxDB writer state:" << influxStateName(s.state);
    }
    emitted = s;
    everEmitted = true;
    emit q->statusChanged(s);
}

InfluxWriter::InfluxWriter(InfluxOptions options, QObject *parent)
    : QObject(parent), d(std::make_unique<Impl>())
{
    d->q = this;
    d->options = std::move(options);
    d->http = new HttpConnection(this);
    d->http->setTimeout(influxhttp::kRequestTimeoutMs);
    QObject::connect(d->http, &HttpConnection::finished, this,
                     [this](const HttpResponse &response) { d->onFinished(response); });
    d->flushTimer = new QTimer(this);
    d->retryTimer = new QTimer(this);
    d->flushTimer->setInterval(qMax(1, d->options.flushIntervalMs));
    QObject::connect(d->flushTimer, &QTimer::timeout, this, [this] { flush(); });
    d->retryTimer->setSingleShot(true);
    d->retryTimer->setTimerType(Qt::PreciseTimer);
    QObject::connect(d->retryTimer, &QTimer::timeout, this, [this] { d->trySend(); });
    d->lease = new WriterLease(this);
    QObject::connect(d->lease, &WriterLease::decisionChanged, this, [this] {
        if (!d->lease->admit(d->pendingLines)) { // viewing: what waits in memory is not written
            d->pending.clear();
            d->pendingLines = 0;
        }
        d->trySend();
        d->publish();
    });
}

InfluxWriter::~InfluxWriter()
{
    // Nothing in memory is lost on an orderly shutdown: it goes to the spool for the next start.
    if (d->options.enabled()) {
        d->spoolPending();
    }
    d->abortRequest();
    delete d->http; // before `d` goes: nothing it does afterwards can reach the writer
    d->http = nullptr;
}

void InfluxWriter::start()
{
    if (d->started) {
        return;
    }
    d->started = true;
    d->lease->start(d->options);
    if (d->options.enabled()) {
        d->openSpool();
        d->flushTimer->start();
        d->trySend();
    }
    d->publish();
}

void InfluxWriter::reconfigure(const InfluxOptions &options)
{
    if (d->options.enabled()) {
        d->spoolPending(); // into the current spool, before it possibly changes
    }
    const bool dirChanged = influxhttp::spoolDir(options) != d->spoolDir();
    d->abortRequest();
    d->options = options;
    d->authStopped = false;
    d->failing = false;
    d->createTried = false;
    d->backoffMs = 0;
    d->failedSeq = 0;
    d->retryTimer->stop();
    d->status.lastError.clear();
    d->flushTimer->setInterval(qMax(1, options.flushIntervalMs));
    if (!d->started) {
        return;
    }
    d->lease->start(options);
    if (!options.enabled()) {
        d->flushTimer->stop();
        d->publish();
        return;
    }
    if (dirChanged || !d->spool.isOpen()) {
        d->openSpool();
    }
    d->flushTimer->start();
    d->trySend();
    d->publish();
}

void InfluxWriter::writeLines(const QList<QByteArray> &lines)
{
    if (!d->options.enabled() || !d->lease->admit(lines.size())) {
        return;
    }
    for (const QByteArray &line : lines) {
        const QByteArray l = line.trimmed(); // no trailing newline: added here
        if (l.isEmpty()) {
            continue;
        }
        d->pending.append(l).append('\n');
        // While the spool cannot be written the flush timer retries it: not every line.
        if (++d->pendingLines >= d->options.maxBatchLines && !d->spoolHealth.isFailing()) {
            flush();
        }
    }
    if (d->spoolHealth.isFailing() && d->pending.size() > d->options.spoolMaxBytes) {
        d->dropPending();
    }
}

void InfluxWriter::flush()
{
    if (!d->options.enabled()) {
        return;
    }
    if (!d->started) {
        start();
    }
    if (d->pendingLines > 0) {
        d->spoolPending();
        d->trySend();
        d->publish();
    }
}

bool InfluxWriter::drain(int timeoutMs)
{
    flush();
    // Shutting down: one attempt now, not after a backoff (up to 30 s) that outlasts the drain
    // and leaves everything of an outage in the spool until the next start.
    if (d->retryTimer->isActive()) {
        d->retryTimer->stop();
        d->trySend();
    }
    auto done = [this] {
        return d->pendingLines == 0 && d->spool.isEmpty() && d->request == Impl::Request::None;
    };
    auto hopeless = [this] { return !d->options.enabled() || d->authStopped; };
    QDeadlineTimer deadline(timeoutMs);
    QEventLoop loop;
    auto check = [&] {
        if (done() || hopeless() || deadline.hasExpired()) {
            loop.quit();
        }
    };
    // Every answer publishes a status: leave as soon as the last one is in, not at the next poll.
    const QMetaObject::Connection onStatus =
        QObject::connect(this, &InfluxWriter::statusChanged, &loop, check, Qt::QueuedConnection);
    QTimer poll;
    poll.setInterval(10);
    QObject::connect(&poll, &QTimer::timeout, &loop, check);
    poll.start();
    if (!done() && !hopeless()) {
        loop.exec();
    }
    QObject::disconnect(onStatus);
    if (!done()) {
        qCInfo(lcInflux) << d->spool.lines() << "points not acknowledged at shutdown; they stay in"
                         << d->spool.dir();
    }
    return done();
}

InfluxStatus InfluxWriter::status() const
{
    return d->current();
}

const InfluxOptions &InfluxWriter::options() const
{
    return d->options;
}

void InfluxWriter::setRetryBackoff(int initialMs, int maxMs)
{
    d->initialBackoffMs = qMax(1, initialMs);
    d->maxBackoffMs = qMax(d->initialBackoffMs, maxMs);
}

QString InfluxWriter::spoolDir() const
{
    return d->spoolDir();
}

} // namespace greenpulse::core
