-- wrk script: every request books a new virtual cluster (a unique name, two
-- hours somewhere in the next 300 days: room for ~100,000, so that what is
-- measured is bookings, not a full calendar's refusals) through POST /api/v1/reservations.
-- Arguments: API token, ssh public key line, epoch of "now".
local threadCount = 0

function setup(thread)
  thread:set("tid", threadCount)
  threadCount = threadCount + 1
end

function init(args)
  token = args[1]
  key = args[2]
  base = tonumber(args[3])
  counter = 0
  wrk.method = "POST"
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local day = (counter * 37 + tid * 101) % 300 + 1
  local hour = base + day * 86400 + (counter % 24) * 3600
  local start = os.date("!%Y-%m-%dT%H:00:00Z", hour)
  local stop = os.date("!%Y-%m-%dT%H:00:00Z", hour + 2 * 3600)
  local body = string.format(
    '{"name":"b%dx%d","start":"%s","end":"%s","nodes":1,"cpus":1,"memory":"1GiB","disk":"10GiB","sshkey":"%s"}',
    tid, counter, start, stop, key)
  return wrk.format(nil, "/api/v1/reservations", nil, body)
end
