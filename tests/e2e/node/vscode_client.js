// A VS Code-like raw client: what vscode-jupyter does to run a kernel,
// with the same `zeromq` npm package, no Jupyter server in between.
//
//   node vscode_client.js KERNELSPEC_DIR
//
// Writes a connection file, spawns the kernel from kernel.json's argv,
// opens DEALER shell/control/stdin and a SUB iopub socket subscribed to
// everything, and sends kernel_info_request on control and on shell until
// both answer and iopub has spoken. Then, as a student would in VS Code:
// a fit with live updates (one display, updated in place, then emptied and
// followed by the final chart), an interrupt (as kernel.json's
// interrupt_mode says: an interrupt_request on control, or SIGINT), and a
// restart (shutdown_request restart=true on control, the process exits,
// the client spawns it again on the same connection file; the old state
// is gone). Every message is signed and every signature checked.
// Exits 0 when everything held; otherwise prints what failed, exits 1.
"use strict"

const assert = require("node:assert/strict")
const crypto = require("node:crypto")
const fs = require("node:fs")
const net = require("node:net")
const os = require("node:os")
const path = require("node:path")
const { spawn } = require("node:child_process")
const zmq = require("zeromq")

const LIMIT_MS = 120000 // the most any step may take
const DELIM = "<IDS|MSG>"

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.on("error", reject)
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

class Kernel {
  constructor(specDir) {
    this.spec = JSON.parse(fs.readFileSync(path.join(specDir, "kernel.json")))
    this.session = crypto.randomUUID()
    this.key = crypto.randomBytes(32).toString("hex")
    this.inbox = [] // iopub messages not yet taken, in order
    this.waiters = []
  }

  async writeConnectionFile() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cnn-vscode-"))
    this.connFile = path.join(dir, "kernel.json")
    this.conn = {
      transport: "tcp", ip: "127.0.0.1", key: this.key,
      signature_scheme: "hmac-sha256", kernel_name: "cnn",
      shell_port: await freePort(), iopub_port: await freePort(),
      stdin_port: await freePort(), control_port: await freePort(),
      hb_port: await freePort(),
    }
    fs.writeFileSync(this.connFile, JSON.stringify(this.conn))
  }

  spawnProcess() {
    const argv = this.spec.argv.map(a => a.replace("{connection_file}",
                                                   this.connFile))
    this.proc = spawn(argv[0], argv.slice(1), { stdio: ["ignore", "inherit",
                                                        "inherit"] })
    this.exited = new Promise(resolve => this.proc.on("exit",
                                                      code => resolve(code)))
  }

  url(name) { return `tcp://${this.conn.ip}:${this.conn[name + "_port"]}` }

  openSockets() {
    this.shell = new zmq.Dealer({ routingId: this.session + "-shell" })
    this.control = new zmq.Dealer({ routingId: this.session + "-control" })
    this.stdin = new zmq.Dealer({ routingId: this.session + "-stdin" })
    this.iopub = new zmq.Subscriber()
    this.shell.connect(this.url("shell"))
    this.control.connect(this.url("control"))
    this.stdin.connect(this.url("stdin"))
    this.iopub.connect(this.url("iopub"))
    this.iopub.subscribe()
    this.replies = new Map() // msg_id -> reply, from shell and control
    this.readLoop(this.iopub, m => this.onIopub(m))
    this.readLoop(this.shell, m => this.onReply(m))
    this.readLoop(this.control, m => this.onReply(m))
  }

  closeSockets() {
    for (const s of [this.shell, this.control, this.stdin, this.iopub])
      s.close()
  }

  async readLoop(sock, handle) {
    try {
      for await (const frames of sock) handle(this.parse(frames))
    } catch (e) {
      if (!sock.closed) throw e
    }
  }

  sign(parts) {
    const h = crypto.createHmac("sha256", this.key)
    for (const p of parts) h.update(p)
    return h.digest("hex")
  }

  parse(frames) {
    const i = frames.findIndex(f => f.toString() === DELIM)
    assert.ok(i >= 0, "a message without <IDS|MSG>")
    const parts = frames.slice(i + 2, i + 6)
    assert.equal(frames[i + 1].toString(), this.sign(parts),
                 "a message with a bad signature")
    const [header, parent, metadata, content] = parts.map(
      p => JSON.parse(p.toString()))
    return { header, parent_header: parent, metadata, content,
             msg_type: header.msg_type }
  }

  async send(sock, type, content, id = crypto.randomUUID()) {
    const header = {
      msg_id: id, session: this.session, username: "vscode",
      date: new Date().toISOString(), msg_type: type, version: "5.3",
    }
    const parts = [header, {}, {}, content].map(p => JSON.stringify(p))
    await sock.send([DELIM, this.sign(parts), ...parts])
    return header.msg_id
  }

  onReply(m) {
    const id = m.parent_header.msg_id
    if (this.replies.has(id)) this.replies.get(id)(m)
  }

  onIopub(m) {
    this.inbox.push(m)
    for (const w of this.waiters.splice(0)) w()
  }

  // Sends a request; resolves with its msg_id and `reply`, a promise of
  // the reply (null after ms).
  async start(sock, type, content, ms = LIMIT_MS) {
    // waits for the reply before sending: it may come before send resolves
    const id = crypto.randomUUID()
    const reply = new Promise(resolve => {
      const timer = setTimeout(() => {
        this.replies.delete(id)
        resolve(null)
      }, ms)
      this.replies.set(id, m => {
        clearTimeout(timer)
        this.replies.delete(id)
        resolve(m)
      })
    })
    await this.send(sock, type, content, id)
    return { id, reply }
  }

  // Sends a request and resolves with its reply (null after ms).
  async request(sock, type, content, ms = LIMIT_MS) {
    return (await this.start(sock, type, content, ms)).reply
  }

  // Resolves with the iopub messages from parent msgId up to its idle.
  async iopubOf(msgId) {
    const deadline = Date.now() + LIMIT_MS
    for (;;) {
      const mine = this.inbox.filter(m => m.parent_header.msg_id === msgId)
      if (mine.some(m => m.msg_type === "status"
                         && m.content.execution_state === "idle")) {
        this.inbox = this.inbox.filter(m => m.parent_header.msg_id !== msgId)
        return mine
      }
      assert.ok(Date.now() < deadline, "no idle on iopub for " + msgId)
      await new Promise(r => {
        this.waiters.push(r)
        setTimeout(r, 1000)
      })
    }
  }

  // Waits until an iopub message from msgId satisfies pred.
  async until(msgId, pred) {
    const deadline = Date.now() + LIMIT_MS
    while (!this.inbox.some(m => m.parent_header.msg_id === msgId
                                 && pred(m))) {
      assert.ok(Date.now() < deadline, "iopub never showed it")
      await new Promise(r => {
        this.waiters.push(r)
        setTimeout(r, 1000)
      })
    }
  }

  // vscode-jupyter's handshake: kernel_info on control and shell, again
  // every half second, until both reply and iopub has delivered a status.
  // A shell request goes out each round until iopub has shown a status:
  // its subscription may start after the first replies' statuses, and a
  // round that only awaited replies already in hand would never yield to
  // the sockets again.
  async handshake() {
    const deadline = Date.now() + LIMIT_MS
    const status = () => this.inbox.some(m => m.msg_type === "status")
    let control = null, shell = null
    while (!(control && shell && status())) {
      assert.ok(Date.now() < deadline, "kernel_info was never answered")
      const [c, s] = await Promise.all([
        control || this.request(this.control, "kernel_info_request", {}, 500),
        shell && status() ? shell
          : this.request(this.shell, "kernel_info_request", {}, 500),
      ])
      control = c
      shell = s || shell
    }
    assert.equal(shell.content.status, "ok")
    assert.equal(shell.content.language_info.name, "cnn")
    this.inbox = []
    return shell.content
  }

  // Starts running code; resolves with its msg_id and `done`, a promise
  // of { reply, iopub }.
  async startExecute(code) {
    const { id, reply } = await this.start(this.shell, "execute_request", {
      code, silent: false, store_history: true, user_expressions: {},
      allow_stdin: true, stop_on_error: false,
    })
    const done = Promise.all([reply, this.iopubOf(id)]).then(([r, iopub]) => {
      assert.ok(r, "no execute_reply for " + code)
      return { reply: r.content, iopub }
    })
    return { id, done }
  }

  // Runs code; resolves with { reply, iopub }.
  async execute(code) {
    return (await this.startExecute(code)).done
  }
}

function text(iopub) {
  return iopub.filter(m => m.msg_type === "stream")
    .map(m => m.content.text).join("")
}

async function liveFit(k) {
  await k.execute("data = moons(n=200, noise=0.1, seed=1)\n"
                  + "net = linear(8) -> tanh -> linear(1) -> sigmoid")
  const { reply, iopub } = await k.execute(
    "fit net on data, epochs=100000000, seconds=1.5")
  assert.equal(reply.status, "ok")
  const shown = iopub.filter(m => m.msg_type === "display_data")
  const updates = iopub.filter(m => m.msg_type === "update_display_data")
  assert.equal(shown.length, 2, "a live chart and a final one")
  const id = shown[0].content.transient.display_id
  assert.ok(id, "the live chart has a display id")
  assert.match(shown[0].content.data["text/plain"], /\(live\)/)
  assert.ok(updates.length >= 2, `${updates.length} updates`)
  for (const u of updates) assert.equal(u.content.transient.display_id, id)
  // live frames carry the chart once, as an <img> VS Code renders
  for (const u of updates.slice(0, -1)) {
    assert.match(u.content.data["text/html"],
                 /^<img alt="plot" src="data:image\/svg\+xml;base64,/)
    assert.equal(u.content.data["image/svg+xml"], undefined)
  }
  assert.deepEqual(updates.at(-1).content.data, { "text/plain": "" })
  const final = shown[1].content
  assert.equal(final.transient, undefined)
  assert.ok(final.data["image/svg+xml"].startsWith("<svg"))
  assert.doesNotMatch(final.data["text/plain"], /\(live\)/)
  assert.match(text(iopub), /stopped by the time budget \(seconds=1.5\)/)
  return updates.length
}

async function interrupt(k) {
  const { id, done } = await k.startExecute("fit net on data, epochs=100000000")
  await k.until(id, m => m.msg_type === "stream"
                         && /epoch 1\/100000000/.test(m.content.text))
  if (k.spec.interrupt_mode === "message") {
    const r = await k.request(k.control, "interrupt_request", {})
    assert.equal(r.content.status, "ok")
  } else {
    k.proc.kill("SIGINT")
  }
  const { reply, iopub } = await done
  assert.equal(reply.status, "error")
  assert.equal(reply.ename, "KeyboardInterrupt")
  assert.ok(iopub.some(m => m.msg_type === "error"))
  // the kernel goes on, the net keeps its weights
  const after = await k.execute("fit net on data, epochs=2")
  assert.equal(after.reply.status, "ok")
  assert.match(text(after.iopub), /trained 2 epochs/)
}

async function restart(k) {
  const r = await k.request(k.control, "shutdown_request", { restart: true })
  assert.equal(r.content.status, "ok")
  assert.equal(r.content.restart, true)
  assert.equal(await k.exited, 0, "the kernel exits cleanly to restart")
  k.closeSockets()
  k.spawnProcess()
  k.openSockets()
  await k.handshake()
  const gone = await k.execute("net")
  assert.equal(gone.reply.status, "error")
  assert.equal(gone.reply.ename, "NameError")
  assert.equal(gone.reply.execution_count, 1, "a fresh kernel counts anew")
  const two = await k.execute("1 + 1")
  const result = two.iopub.find(m => m.msg_type === "execute_result")
  assert.equal(result.content.data["text/plain"], "2")
}

async function main() {
  const k = new Kernel(process.argv[2])
  await k.writeConnectionFile()
  k.spawnProcess()
  k.openSockets()
  try {
    const info = await k.handshake()
    console.log(`kernel_info: ${info.implementation} ${
      info.implementation_version}, protocol ${info.protocol_version}`)
    console.log(`live fit: ${await liveFit(k)} updates`)
    await interrupt(k)
    console.log(`interrupt (${k.spec.interrupt_mode}): KeyboardInterrupt`)
    await restart(k)
    console.log("restart: a fresh kernel")
    const bye = await k.request(k.control, "shutdown_request",
                                { restart: false })
    assert.equal(bye.content.status, "ok")
    assert.equal(await k.exited, 0)
  } finally {
    k.closeSockets()
    if (k.proc.exitCode === null) k.proc.kill("SIGKILL")
    fs.rmSync(path.dirname(k.connFile), { recursive: true, force: true })
  }
}

main().then(() => process.exit(0), e => {
  console.error(e.stack || e)
  process.exit(1)
})
