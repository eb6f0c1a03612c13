// Request Tracker's REST2 answers as `gongdan import rt --url` reads them, before the records
// themselves go through rt_source: the `/rt` answer that says a server is RT, and one page of a
// collection (`{"items": [...], "page": 1, "pages": 3, …}`), whose items are joined with the
// other pages' into one list. Pure; no I/O.
#pragma once

#include <boost/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace gongdan::import {

// RT's version from `GET /REST/2.0/rt` (`{"Version": "5.0.3", "Plugins": []}`); an error saying
// why when the answer is not that (another server at the address, a login page).
Result<std::string> read_rt_version(std::string_view body);

struct RtPage {
  std::vector<boost::json::object> items;
  std::int64_t page = 0;   // this page's number, from 1
  std::int64_t pages = 0;  // how many there are (0 for an empty collection)
};

// One page of a collection; an error saying why when it is not JSON or has no list of items.
// An item that is not an object is an error too: a page is taken whole or not at all.
Result<RtPage> read_rt_page(std::string_view body);

// The items of every page as one JSON array, the shape rt_source reads.
std::string rt_items_json(const std::vector<boost::json::object>& items);

}  // namespace gongdan::import
