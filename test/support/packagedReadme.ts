// The README packed into the .vsix (package.json `vsce.readmePath`). It is the project
// README without what only makes sense in the repository: the screenshots and links to files
// that are not in the package. vsce refuses relative links and images when the manifest names
// no public repository, so the packaged text keeps only web links and anchors; rule codes
// stay as code spans (each diagnostic links to its packaged page already).

const IMAGE_LINE = /^!\[[^\]]*\]\(([^)]+)\)\s*$/;
const LINK = /\[((?:[^\][]|\[[^\]]*\])*)\]\(([^)\s]+)\)/g;

function isKept(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(target) || target.startsWith('#') || target.startsWith('mailto:');
}

export function packagedReadme(readme: string): string {
  const head = '<!-- Generated from README.md by `npm run docs`; edit README.md instead. -->\n\n';
  const lines = readme.split('\n').filter((line) => {
    const image = IMAGE_LINE.exec(line);
    return !image || isKept(image[1]!);
  });
  return head + lines.join('\n').replace(LINK, (whole, text: string, target: string) => (isKept(target) ? whole : text));
}
