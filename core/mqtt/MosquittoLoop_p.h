#pragma once

// Runs libmosquitto's network loop for a MosquittoClient on the Qt event loop of the thread that
// owns it: QSocketNotifier on mosquitto_socket() (read -> mosquitto_loop_read; write, enabled only
// while mosquitto_want_write -> mosquitto_loop_write) and a timer calling mosquitto_loop_misc
// (keepalive and pings). So every libmosquitto callback runs on this thread, without locks.

#include <QObject>
#include <QString>
#include <functional>

class QSocketNotifier;
class QTimer;
struct mosquitto;

namespace greenpulse::core {

class MosquittoLoop : public QObject
{
    Q_OBJECT
public:
    // How the loop tells its client what happened; all three are called on this thread.
    struct Hooks
    {
        // After each libmosquitto loop call: act on what its callbacks noted (a CONNACK).
        std::function<void()> returned;
        // The socket went away without libmosquitto's disconnect callback saying so.
        std::function<void(const QString &reason)> lost;
        // After each activation (read burst, write, misc), once write interest is up to date.
        std::function<void()> settled;
    };

    explicit MosquittoLoop(Hooks hooks, QObject *parent = nullptr);

    // Watches the socket of `mosq`, if it has one (after mosquitto_connect_async).
    void attach(mosquitto *mosq);
    // Stops watching; safe from inside the loop's own calls.
    void detach();
    bool isAttached() const { return m_attached; }
    // True while inside a libmosquitto loop call (and so inside its callbacks).
    bool insideLoopCall() const { return m_depth > 0; }
    // Enables the write notifier exactly while libmosquitto has something to write.
    void updateWriteNotifier();
    void startMiscTimer();
    void stopMiscTimer();
    // Runs the loop by poll() on the socket, without the event loop, while `pred` holds and the
    // socket stays attached, for at most `timeoutMs`.
    void pumpWhile(const std::function<bool()> &pred, int timeoutMs);

private:
    void onReadable();
    void onWritable();
    void onMiscTimer();
    void checkResult(int rc);
    void settle();

    Hooks m_hooks;
    mosquitto *m_mosq = nullptr;
    bool m_attached = false;
    int m_socket = -1;
    int m_depth = 0; // > 0 while inside a libmosquitto loop call (and its callbacks)
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    QTimer *m_miscTimer = nullptr;
};

} // namespace greenpulse::core
