#include "influx/InfluxWriter.h"

#include "base/Logging.h"
#include "influx/InfluxWriter_p.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QTimer>

namespace greenpulse::core {

// Warnings to lcInflux, throttled per message.
void InfluxWriter::Impl::logProblem(const QString &message)
{
    if (!problems.allow(message)) {
        return;
    }
    if (problems.suppressed() > 0) {
        qCWarning(lcInflux).noquote()
            << message << QStringLiteral("(%1 times)").arg(problems.suppressed() + 1);
    } else {
        qCWarning(lcInflux).noquote() << message;
    }
}

void InfluxWriter::Impl::openSpool()
{
    QString error;
    inFlight = {}; // batch numbers start again in another spool
    if (!spool.open(spoolDir(), &error)) {
        status.lastError = error;
        logProblem(error);
        return;
    }
    status.pointsDropped += spool.takeLostLines(); // of empty batch files
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
    const bool dirChanged = Spool::folderFor(options) != d->spoolDir();
    d->abortRequest();
    d->options = options;
    d->authStopped = false;
    d->failing = false;
    d->createTried = false;
    d->backoff.reset();
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
    d->backoff.setLimits(initialMs, maxMs);
}

QString InfluxWriter::spoolDir() const
{
    return d->spoolDir();
}

} // namespace greenpulse::core
