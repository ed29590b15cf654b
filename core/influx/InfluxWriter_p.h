#pragma once

// InfluxWriter's inside, shared by InfluxWriter.cpp (the spool side: buffering, spooling, status)
// and InfluxWriterSend.cpp (the HTTP side: sending a batch and reading the answer).

#include "base/Backoff.h"
#include "base/LogThrottle.h"
#include "http/HttpConnection.h"
#include "influx/InfluxRequests.h"
#include "influx/InfluxWriter.h"
#include "influx/Spool.h"
#include "influx/SpoolHealth_p.h"
#include "influx/WriterLease.h"

#include <QTimer>

namespace greenpulse::core {

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
    Backoff backoff{influxhttp::retryBackoffPolicy()};

    InfluxStatus status;
    InfluxStatus emitted;
    bool everEmitted = false;
    // The same problem again within a minute is only counted, and logged with its count when it
    // comes back after the minute.
    LogThrottle problems{60000};
    SpoolHealth spoolHealth; // spool writes failing: said once per change, not per attempt

    QString spoolDir() const { return Spool::folderFor(options); }
    void logProblem(const QString &message);
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

} // namespace greenpulse::core
