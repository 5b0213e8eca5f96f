#include "agent/connection.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <utility>

#include "agent/protocol.h"

namespace bespoke::agent {
namespace {

int remaining_ms(Deadline deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(std::min<long long>(left.count(), 1 << 30));
}

// Waits until the socket is readable (or writable); false on timeout.
bool wait_for(int fd, short events, Deadline deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    const int ready = ::poll(&p, 1, remaining_ms(deadline));
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) return true;  // the following read/write reports the error
  }
}

struct AddrInfoDeleter {
  void operator()(addrinfo* info) const { ::freeaddrinfo(info); }
};
using AddrInfo = std::unique_ptr<addrinfo, AddrInfoDeleter>;

AddrInfo resolve(const Endpoint& endpoint, bool passive) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = passive ? AI_PASSIVE : 0;
  addrinfo* result = nullptr;
  const std::string port = std::to_string(endpoint.port);
  const int rc = ::getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &result);
  if (rc != 0) throw std::runtime_error("cannot resolve '" + endpoint.host + "': " + ::gai_strerror(rc));
  return AddrInfo(result);
}

bool is_loopback(const sockaddr* address) {
  if (address->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(address);
    return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
  }
  if (address->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(address);
    return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
  }
  return false;
}

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

}  // namespace

Endpoint parse_endpoint(const std::string& text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    throw std::invalid_argument("'" + text + "' is not HOST:PORT");
  }
  Endpoint e;
  e.host = text.substr(0, colon);
  if (e.host.size() > 2 && e.host.front() == '[' && e.host.back() == ']') e.host = e.host.substr(1, e.host.size() - 2);
  const std::string port = text.substr(colon + 1);
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos || std::stoul(port) > 65535) {
    throw std::invalid_argument("'" + port + "' is not a port number");
  }
  e.port = static_cast<uint16_t>(std::stoul(port));
  return e;
}

Socket::Socket(Socket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
Socket& Socket::operator=(Socket&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}
Socket::~Socket() { close(); }
void Socket::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Socket listen_on(const Endpoint& endpoint, bool allow_remote) {
  const AddrInfo info = resolve(endpoint, true);
  for (const addrinfo* a = info.get(); a != nullptr; a = a->ai_next) {
    if (!allow_remote && !is_loopback(a->ai_addr)) {
      throw std::runtime_error("'" + endpoint.host +
                               "' is not a loopback address; pass --allow-remote to listen on it");
    }
  }
  std::string last_error = "no address";
  for (const addrinfo* a = info.get(); a != nullptr; a = a->ai_next) {
    Socket s(::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol));
    if (!s.valid()) {
      last_error = errno_text("socket");
      continue;
    }
    const int on = 1;
    ::setsockopt(s.fd(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (::bind(s.fd(), a->ai_addr, a->ai_addrlen) != 0) {
      last_error = errno_text("bind");
      continue;
    }
    if (::listen(s.fd(), 4) != 0) {
      last_error = errno_text("listen");
      continue;
    }
    return s;
  }
  throw std::runtime_error("cannot listen on " + endpoint.host + ":" + std::to_string(endpoint.port) + ": " +
                           last_error);
}

uint16_t local_port(const Socket& socket) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getsockname(socket.fd(), reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
  return 0;
}

Socket accept_client(const Socket& listener, int timeout_ms) {
  if (!wait_for(listener.fd(), POLLIN, deadline_in(timeout_ms))) return Socket();
  Socket client(::accept4(listener.fd(), nullptr, nullptr, SOCK_CLOEXEC));
  if (client.valid()) {
    const int on = 1;
    ::setsockopt(client.fd(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  }
  return client;
}

Socket connect_to(const Endpoint& endpoint, int timeout_ms) {
  const AddrInfo info = resolve(endpoint, false);
  const Deadline deadline = deadline_in(timeout_ms);
  std::string last_error = "no address";
  for (const addrinfo* a = info.get(); a != nullptr; a = a->ai_next) {
    Socket s(::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol));
    if (!s.valid()) {
      last_error = errno_text("socket");
      continue;
    }
    if (::connect(s.fd(), a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS) {
      last_error = errno_text("connect");
      continue;
    }
    if (!wait_for(s.fd(), POLLOUT, deadline)) {
      last_error = "timed out";
      continue;
    }
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(s.fd(), SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0) {
      last_error = std::string("connect: ") + std::strerror(error);
      continue;
    }
    ::fcntl(s.fd(), F_SETFL, ::fcntl(s.fd(), F_GETFL) & ~O_NONBLOCK);
    const int on = 1;
    ::setsockopt(s.fd(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    return s;
  }
  throw std::runtime_error("cannot reach the agent at " + endpoint.host + ":" + std::to_string(endpoint.port) + ": " +
                           last_error);
}

IoStatus read_exact(const Socket& socket, void* data, size_t size, Deadline deadline, size_t* got) {
  auto* bytes = static_cast<uint8_t*>(data);
  *got = 0;
  while (*got < size) {
    if (!wait_for(socket.fd(), POLLIN, deadline)) return IoStatus::kTimeout;
    const ssize_t n = ::recv(socket.fd(), bytes + *got, size - *got, MSG_DONTWAIT);
    if (n == 0) return IoStatus::kClosed;
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      return errno == ECONNRESET ? IoStatus::kClosed : IoStatus::kError;
    }
    *got += static_cast<size_t>(n);
  }
  return IoStatus::kOk;
}

IoStatus write_all(const Socket& socket, const void* data, size_t size, Deadline deadline) {
  const auto* bytes = static_cast<const uint8_t*>(data);
  size_t sent = 0;
  while (sent < size) {
    if (!wait_for(socket.fd(), POLLOUT, deadline)) return IoStatus::kTimeout;
    // MSG_NOSIGNAL: a client gone away is an error to report, not a SIGPIPE.
    const ssize_t n = ::send(socket.fd(), bytes + sent, size - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      return (errno == EPIPE || errno == ECONNRESET) ? IoStatus::kClosed : IoStatus::kError;
    }
    sent += static_cast<size_t>(n);
  }
  return IoStatus::kOk;
}

IoStatus read_frame(const Socket& socket, uint32_t max_bytes, Deadline deadline, std::vector<uint8_t>* payload,
                    std::string* error, bool* too_large) {
  *too_large = false;
  uint8_t prefix[kLengthBytes];
  size_t got = 0;
  IoStatus status = read_exact(socket, prefix, sizeof prefix, deadline, &got);
  if (status == IoStatus::kOk) {
    const uint32_t length = get_u32(prefix);
    if (length > max_bytes) {
      *too_large = true;
      *error = "a message of " + std::to_string(length) + " bytes is over the limit of " + std::to_string(max_bytes);
      return IoStatus::kError;
    }
    // Grown as bytes arrive, so a length prefix alone reserves nothing.
    payload->clear();
    size_t have = 0;
    while (have < length && status == IoStatus::kOk) {
      const size_t chunk = std::min<size_t>(length - have, 1 << 20);
      payload->resize(have + chunk);
      status = read_exact(socket, payload->data() + have, chunk, deadline, &got);
      have += got;
    }
    payload->resize(have);
    if (status == IoStatus::kOk) return status;
    *error = "after " + std::to_string(have) + " of " + std::to_string(length) + " bytes";
  } else if (status == IoStatus::kClosed && got == 0) {
    error->clear();  // a goodbye between messages
    return status;
  } else {
    *error = got == 0 ? "before a message" : "inside a length prefix";
  }
  if (status == IoStatus::kTimeout) *error = "timed out " + *error;
  if (status == IoStatus::kClosed) *error = "connection closed " + *error;
  if (status == IoStatus::kError) *error = "read failed " + *error;
  return status;
}

IoStatus write_frame(const Socket& socket, const std::vector<uint8_t>& payload, Deadline deadline) {
  uint8_t prefix[kLengthBytes];
  put_u32(static_cast<uint32_t>(payload.size()), prefix);
  const IoStatus status = write_all(socket, prefix, sizeof prefix, deadline);
  return status == IoStatus::kOk ? write_all(socket, payload.data(), payload.size(), deadline) : status;
}

}  // namespace bespoke::agent
