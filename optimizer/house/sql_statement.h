// Prepared SQLite statements and transactions on a house index
// (house_store.h), shared by the store itself and by the tables that later
// steps keep in the same file (latency/latency_store.h). Every failure is a
// HouseError "<file>: <SQLite's message>".
//
// Binds by position (1-based, in the order of the bind calls) and reads the
// columns of a row in order, so a row maps onto a record in one pass. NaN
// doubles are bound as NULL and NULL reads back as NaN (SQLite has no NaN).
#pragma once

#include <cstdint>
#include <string>

#include "house/house_error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace bespoke::house {

class Statement {
 public:
  Statement(sqlite3* db, const std::string& file, const std::string& sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(const std::string& v);
  Statement& bind(int64_t v);
  Statement& bind(int v) { return bind(static_cast<int64_t>(v)); }
  Statement& bind(double v);

  // True while there is a row to read.
  bool step();

  std::string text();
  int64_t integer();
  int small_integer() { return static_cast<int>(integer()); }
  double real();

 private:
  void check(int rc);
  [[noreturn]] void fail() const;

  sqlite3* db_;
  std::string file_;
  sqlite3_stmt* stmt_ = nullptr;
  int bound_ = 0;
  int column_ = 0;
};

// Runs `sql` (one or several statements).
void execute(sqlite3* db, const std::string& file, const std::string& sql);
// Runs `sql` (several statements) in one transaction.
void execute_atomically(sqlite3* db, const std::string& file, const std::string& sql);

// BEGIN IMMEDIATE now, ROLLBACK on destruction unless commit() was called:
// several statements written as one (all or nothing under SIGKILL).
class Transaction {
 public:
  Transaction(sqlite3* db, std::string file);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  sqlite3* db_;
  std::string file_;
  bool done_ = false;
};

}  // namespace bespoke::house
