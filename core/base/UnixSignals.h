#pragma once

#include <QObject>

namespace greenpulse::core {

// Turns SIGINT/SIGTERM (and optionally SIGHUP) into a Qt signal on the thread that created this
// object, through a self-pipe watched by QSocketNotifier: nothing but write() runs in the handler.
// Make one in main(); it restores the default handlers when destroyed.
class UnixSignals : public QObject
{
    Q_OBJECT
public:
    explicit UnixSignals(QObject *parent = nullptr);
    ~UnixSignals() override;

signals:
    void terminationRequested(int signalNumber); // SIGINT or SIGTERM
    void hangup();                               // SIGHUP

private:
    void readPipe();
    int m_fds[2] = {-1, -1};
};

} // namespace greenpulse::core
