#pragma once

// A real mosquitto on a free loopback port, its config, password file, certificates and
// persistence in a temporary folder. Stop and start it again on the same port to simulate an
// outage.

#include "ServerProcess.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace greenpulse::servers {

class MosquittoServer
{
public:
    struct Config
    {
        QString username; // non-empty: anonymous access off, this user with `password` only
        QString password;
        bool tls = false;          // a second listener with a certificate made by openssl
        int maxQueuedMessages = 0; // 0: mosquitto's default
        bool persistence = false;
        QByteArray extraConfig; // appended to mosquitto.conf as it is
        // More accounts (name, password) in the password file; non-empty: anonymous access off.
        QList<QPair<QString, QString>> accounts;
        QByteArray acl; // non-empty: written to acl.conf and used as mosquitto's acl_file
    };

    MosquittoServer();
    explicit MosquittoServer(Config config);
    ~MosquittoServer();

    bool start(); // waits until the port accepts connections
    void stop();  // SIGTERM, wait
    bool restart()
    {
        stop();
        return start();
    }
    bool isRunning() const { return m_process.isRunning(); }
    qint64 pid() const { return m_process.pid(); }

    quint16 port() const { return m_port; }
    quint16 tlsPort() const { return m_tlsPort; }
    QString url() const;    // tcp://127.0.0.1:<port>
    QString tlsUrl() const; // ssl://127.0.0.1:<tlsPort>
    QString caFile() const; // the CA certificate clients must trust (tls only)
    QString dir() const { return m_process.dir(); }
    QByteArray log() const { return m_process.log(); } // mosquitto's log since it started
    QString lastError() const { return m_error; }

private:
    bool writeConfig();
    bool makeCertificates();
    bool runTool(const QString &program, const QStringList &args, const char *what);

    Config m_config;
    ServerProcess m_process;
    quint16 m_port = 0;
    quint16 m_tlsPort = 0;
    QString m_error;
};

} // namespace greenpulse::servers
