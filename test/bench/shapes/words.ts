/**
 * Vocabulary for the synthetic workspace: package and library names that
 * real configurations use, syllables for invented names, and words for
 * descriptions. Only identifiers that are valid Nix names and not keywords.
 */
import type { Random } from '../random.js';

/** Build-time and run-time dependencies (attribute names of nixpkgs). */
export const C_DEPS = [
  'openssl', 'zlib', 'curl', 'libxml2', 'libxslt', 'sqlite', 'readline', 'ncurses', 'libffi', 'pcre2',
  'glib', 'gtk3', 'gtk4', 'libadwaita', 'cairo', 'pango', 'harfbuzz', 'freetype', 'fontconfig', 'libpng',
  'libjpeg', 'libtiff', 'libwebp', 'giflib', 'libuv', 'libevent', 'boost', 'protobuf', 'grpc', 'abseil-cpp',
  'systemd', 'dbus', 'udev', 'libusb1', 'libpulseaudio', 'alsa-lib', 'pipewire', 'wayland', 'libxkbcommon',
  'libGL', 'mesa', 'vulkan-loader', 'SDL2', 'ffmpeg', 'gst_all_1', 'libopus', 'libvorbis', 'flac', 'lz4',
  'zstd', 'xz', 'bzip2', 'libarchive', 'libgit2', 'libssh2', 'nghttp2', 'c-ares', 'icu', 'gettext',
  'expat', 'jansson', 'json-glib', 'yajl', 'libyaml', 'gmp', 'mpfr', 'fftw', 'openblas', 'lapack',
  'hdf5', 'netcdf', 'gdal', 'proj', 'geos', 'libseccomp', 'libcap', 'libselinux', 'acl', 'attr',
  'pam', 'krb5', 'cyrus_sasl', 'openldap', 'libkrb5', 'nss', 'nspr', 'gnutls', 'libgcrypt', 'libsodium',
];

export const NATIVE_DEPS = [
  'pkg-config', 'cmake', 'meson', 'ninja', 'autoreconfHook', 'makeWrapper', 'wrapGAppsHook3',
  'installShellFiles', 'gobject-introspection', 'perl', 'python3', 'bison', 'flex', 'gettext', 'doxygen',
  'scdoc', 'asciidoc', 'libxslt', 'docbook_xsl', 'wayland-scanner', 'desktop-file-utils', 'copyDesktopItems',
];

export const PYTHON_DEPS = [
  'requests', 'urllib3', 'certifi', 'idna', 'charset-normalizer', 'click', 'rich', 'typer', 'pydantic',
  'attrs', 'cattrs', 'pyyaml', 'toml', 'tomli', 'jinja2', 'markupsafe', 'numpy', 'scipy', 'pandas',
  'matplotlib', 'pillow', 'lxml', 'beautifulsoup4', 'aiohttp', 'httpx', 'anyio', 'sniffio', 'websockets',
  'cryptography', 'pyopenssl', 'paramiko', 'psutil', 'python-dateutil', 'pytz', 'tzdata', 'six', 'packaging',
  'platformdirs', 'filelock', 'tqdm', 'colorama', 'pygments', 'docutils', 'sqlalchemy', 'alembic', 'redis',
];

export const PYTHON_CHECK_DEPS = ['pytestCheckHook', 'pytest-mock', 'pytest-asyncio', 'hypothesis', 'freezegun', 'responses'];

/** Programs that hosts and users install (`environment.systemPackages`, `home.packages`). */
export const PROGRAMS = [
  'git', 'vim', 'neovim', 'htop', 'btop', 'ripgrep', 'fd', 'jq', 'yq-go', 'curl', 'wget', 'tmux', 'zellij',
  'firefox', 'chromium', 'thunderbird', 'vlc', 'mpv', 'gimp', 'inkscape', 'libreoffice', 'keepassxc',
  'wireguard-tools', 'nmap', 'tcpdump', 'dig', 'iperf3', 'mtr', 'rsync', 'restic', 'borgbackup', 'age',
  'sops', 'gnupg', 'pinentry-curses', 'direnv', 'nix-direnv', 'nixfmt-rfc-style', 'nil', 'statix', 'deadnix',
  'gcc', 'gnumake', 'cmake', 'python3', 'nodejs', 'go', 'rustup', 'cargo', 'docker-compose', 'kubectl',
  'k9s', 'helm', 'terraform', 'ansible', 'podman', 'qemu', 'virt-manager', 'pciutils', 'usbutils', 'lm_sensors',
  'smartmontools', 'nvme-cli', 'ethtool', 'iotop', 'strace', 'gdb', 'valgrind', 'file', 'tree', 'unzip',
  'zip', 'p7zip', 'bat', 'eza', 'zoxide', 'fzf', 'starship', 'alacritty', 'kitty', 'wezterm', 'foot',
];

/** Services that NixOS modules configure. */
export const SERVICES = [
  'openssh', 'nginx', 'caddy', 'postgresql', 'mysql', 'redis', 'grafana', 'prometheus', 'loki', 'tailscale',
  'syncthing', 'jellyfin', 'nextcloud', 'gitea', 'forgejo', 'vaultwarden', 'home-assistant', 'mosquitto',
  'zigbee2mqtt', 'unbound', 'dnsmasq', 'blocky', 'adguardhome', 'fail2ban', 'chrony', 'avahi', 'printing',
  'pipewire', 'blueman', 'fwupd', 'thermald', 'tlp', 'smartd', 'zfs', 'btrfs', 'restic', 'borgbackup',
  'minio', 'paperless', 'immich', 'uptime-kuma', 'node-red', 'cockpit', 'netdata', 'telegraf', 'influxdb2',
];

export const LICENSES = ['mit', 'asl20', 'bsd2', 'bsd3', 'gpl2Only', 'gpl2Plus', 'gpl3Only', 'gpl3Plus', 'lgpl21Plus', 'mpl20', 'isc', 'zlib', 'unfree'];
export const PLATFORMS = ['all', 'linux', 'unix', 'darwin'];
export const MAINTAINERS = ['ada', 'brian', 'chen', 'dana', 'emeka', 'fatima', 'goran', 'hana', 'ivo', 'jun', 'kemal', 'lena', 'mateo', 'noor', 'oskar', 'priya'];
export const SYSTEMS = ['x86_64-linux', 'aarch64-linux', 'x86_64-darwin', 'aarch64-darwin'];

const WORDS = [
  'fast', 'small', 'simple', 'modern', 'portable', 'secure', 'minimal', 'extensible', 'lightweight', 'robust',
  'tool', 'library', 'daemon', 'utility', 'framework', 'client', 'server', 'parser', 'compiler', 'toolkit',
  'for', 'and', 'with', 'the', 'of', 'to', 'in', 'a', 'over', 'using',
  'managing', 'building', 'streaming', 'monitoring', 'indexing', 'rendering', 'scheduling', 'syncing',
  'files', 'packages', 'containers', 'networks', 'images', 'logs', 'metrics', 'documents', 'archives',
  'terminal', 'desktop', 'wayland', 'cloud', 'embedded', 'distributed', 'configuration', 'data', 'text',
];

const SYLLABLES = [
  'ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'xa', 'zu', 'bar', 'cor', 'dex', 'fin', 'gal', 'hub',
  'jet', 'kit', 'lux', 'mon', 'nix', 'orb', 'pix', 'qua', 'rex', 'sol', 'tux', 'ulm', 'vex', 'wol', 'yak',
  'zen', 'ark', 'bel', 'cyn', 'dor', 'el', 'fy', 'gro', 'hal', 'ix', 'jo', 'ky', 'lem', 'myr', 'nor',
];

const SUFFIXES = ['', '', '', '', '-cli', '-utils', 'd', '-rs', '-go', '-ng', '-tools', 'fs', '-server', '-git'];

const KEYWORDS = new Set(['if', 'then', 'else', 'assert', 'with', 'let', 'in', 'rec', 'inherit', 'or']);

/** Hands out names that were not handed out before (per instance). */
export class Names {
  private readonly used = new Set<string>();

  constructor(private readonly random: Random) {}

  reserve(name: string): void {
    this.used.add(name);
  }

  /** An invented package-like name: `korvex`, `zenpix-cli`, `lumon-ng`. */
  fresh(minSyllables = 2, maxSyllables = 3, suffixes = SUFFIXES): string {
    for (let attempt = 0; ; attempt++) {
      const n = this.random.int(minSyllables, maxSyllables + Math.floor(attempt / 20));
      let name = '';
      for (let i = 0; i < n; i++) name += this.random.pick(SYLLABLES);
      name += this.random.pick(suffixes);
      if (!KEYWORDS.has(name) && !this.used.has(name)) {
        this.used.add(name);
        return name;
      }
    }
  }
}

/** A sentence-like description without quotes, backslashes or `${`. */
export function sentence(random: Random, minWords: number, maxWords: number): string {
  const n = random.int(minWords, maxWords);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(random.pick(WORDS));
  const s = words.join(' ');
  return s[0].toUpperCase() + s.slice(1);
}

export function version(random: Random): string {
  return `${random.int(0, 9)}.${random.int(0, 30)}.${random.int(0, 20)}`;
}

export function date(random: Random): string {
  return `20${random.int(18, 25)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
}

/** Renders a Nix string literal; `text` must not need escaping beyond quotes and backslashes. */
export function str(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, '\\${')}"`;
}
