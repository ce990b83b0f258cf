import { LabIcon } from '@jupyterlab/ui-components';

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M12 1 3 5v6c0 5.55 3.84 10.74 9 12 5.16-1.26 9-6.45 9-12V5l-9-4zm0 6a3 3 0 0 1 1 5.83V17h-2v-4.17A3 3 0 0 1 12 7z"/>
  </g>
</svg>`;

export const nbjobIamIcon = new LabIcon({
  name: 'jupyter_nbjob_iam:shield',
  svgstr: svg
});
