#include "house/sql_statement.h"

#include <sqlite3.h>

#include <cmath>

namespace bespoke::house {

Statement::Statement(sqlite3* db, const std::string& file, const std::string& sql) : db_(db), file_(file) {
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) fail();
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(const std::string& v) {
  check(sqlite3_bind_text(stmt_, ++bound_, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::bind(int64_t v) {
  check(sqlite3_bind_int64(stmt_, ++bound_, v));
  return *this;
}

Statement& Statement::bind(double v) {  // NaN -> NULL explicitly (SQLite would do it silently)
  check(std::isnan(v) ? sqlite3_bind_null(stmt_, ++bound_) : sqlite3_bind_double(stmt_, ++bound_, v));
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    column_ = 0;
    return true;
  }
  if (rc != SQLITE_DONE) fail();
  return false;
}

std::string Statement::text() {
  const auto* p = sqlite3_column_text(stmt_, column_);
  const int n = sqlite3_column_bytes(stmt_, column_++);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
}

int64_t Statement::integer() { return sqlite3_column_int64(stmt_, column_++); }

double Statement::real() {
  const bool null = sqlite3_column_type(stmt_, column_) == SQLITE_NULL;
  const double v = sqlite3_column_double(stmt_, column_++);
  return null ? NAN : v;
}

void Statement::check(int rc) {
  if (rc != SQLITE_OK) fail();
}

void Statement::fail() const { throw HouseError(file_ + ": " + sqlite3_errmsg(db_)); }

void execute(sqlite3* db, const std::string& file, const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error ? error : sqlite3_errmsg(db);
    sqlite3_free(error);
    throw HouseError(file + ": " + message);
  }
}

void execute_atomically(sqlite3* db, const std::string& file, const std::string& sql) {
  Transaction t(db, file);
  execute(db, file, sql);
  t.commit();
}

Transaction::Transaction(sqlite3* db, std::string file) : db_(db), file_(std::move(file)) {
  execute(db_, file_, "BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (!done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  execute(db_, file_, "COMMIT");
  done_ = true;
}

}  // namespace bespoke::house
